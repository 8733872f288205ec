import { readFileSync } from "node:fs";
import { parse } from "yaml";

/**
 * Reads the optional server-wide defaults file named by GANTRY_CONFIG. Its
 * settings sit under each repository's `.github/gantry.yml`.
 */
export function readServerDefaults(
  path: string | undefined,
  source = "GANTRY_CONFIG",
): unknown {
  if (!path) return {};

  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    throw new Error(
      `${source} names a file that cannot be read (${reason}): ${path}`,
      { cause: error },
    );
  }
  try {
    return parse(text) ?? {};
  } catch (error) {
    throw new Error(
      `${source} file ${path} is not valid YAML: ${(error as Error).message}`,
      { cause: error },
    );
  }
}
