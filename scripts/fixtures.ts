import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's top folder, found from this file whether it runs as TypeScript or from dist/. */
export function repositoryRoot(): string {
  let folder = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(folder, "package.json"))) {
    const parent = resolve(folder, "..");
    if (parent === folder)
      throw new Error(
        "package.json not found above " + fileURLToPath(import.meta.url),
      );
    folder = parent;
  }
  return folder;
}

/** Reads a payload fixture from test/fixtures, for example `github/deployment_status.created.success.json`. */
export function readFixture(path: string): string {
  return readFileSync(join(repositoryRoot(), "test", "fixtures", path), "utf8");
}

export function readJsonFixture<T = Record<string, unknown>>(path: string): T {
  return JSON.parse(readFixture(path)) as T;
}
