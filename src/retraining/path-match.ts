import picomatch from "picomatch";

/**
 * Returns the files that match any of a model's `paths` globs, in picomatch
 * syntax, where `**` crosses folders and `*` does not. Dotfiles match too.
 */
export function filesMatchingPaths(
  globs: readonly string[],
  files: readonly string[],
): string[] {
  if (globs.length === 0) return [];
  const matches = picomatch([...globs], { dot: true });
  return files.filter((file) => matches(file));
}
