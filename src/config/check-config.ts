import {
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
} from "yaml";
import {
  validateRepoConfig,
  type ConfigProblem,
  type RepoConfig,
} from "./repo-config.js";

export type LocatedProblem = ConfigProblem & { line: number | undefined };

export type CheckResult =
  { ok: true; config: RepoConfig } | { ok: false; problems: LocatedProblem[] };

/**
 * Validates the text of a `.github/gantry.yml`, optionally merged over
 * server-wide defaults, and locates each problem on its line.
 */
export function checkConfigText(
  text: string,
  defaults: unknown = {},
): CheckResult {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });

  if (document.errors.length > 0) {
    return {
      ok: false,
      problems: document.errors.map((error) => ({
        path: "(yaml)",
        message: error.message.split("\n")[0] ?? error.message,
        line: lineCounter.linePos(error.pos[0]).line,
      })),
    };
  }

  const merged = mergeDefaults(defaults, document.toJS() ?? {});
  const result = validateRepoConfig(merged);
  if (result.ok) return result;

  return {
    ok: false,
    problems: result.problems.map((problem) => {
      const offset = keyOffset(document, yamlPath(problem.path));
      return {
        ...problem,
        line:
          offset === undefined ? undefined : lineCounter.linePos(offset).line,
      };
    }),
  };
}

/**
 * Returns where a path's key starts in the file. A key that the file lacks,
 * such as a missing required field, takes the offset of its nearest ancestor.
 */
function keyOffset(
  document: Document,
  path: (string | number)[],
): number | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const parent = document.getIn(path.slice(0, depth - 1), true);
    const key = path[depth - 1];
    let node: unknown;
    if (isMap(parent)) {
      node = parent.items.find(
        (pair) => isScalar(pair.key) && pair.key.value === key,
      )?.key;
    } else if (isSeq(parent) && typeof key === "number") {
      node = parent.items[key];
    }
    if (isNode(node) && node.range) return node.range[0];
  }
  return undefined;
}

/** Formats problems one a line as `path: message (line N)`. */
export function formatProblems(problems: readonly LocatedProblem[]): string {
  return problems
    .map((problem) => {
      const where = problem.line === undefined ? "" : ` (line ${problem.line})`;
      return `${problem.path}: ${problem.message}${where}`;
    })
    .join("\n");
}

/**
 * Deep-merges a repository's configuration over server-wide defaults: mappings
 * merge key by key, and the repository's value wins for anything else.
 */
export function mergeDefaults(defaults: unknown, overrides: unknown): unknown {
  if (!isPlainObject(defaults) || !isPlainObject(overrides)) {
    return overrides === undefined ? defaults : overrides;
  }

  const merged: Record<string, unknown> = { ...defaults };
  for (const [key, value] of Object.entries(overrides)) {
    merged[key] = mergeDefaults(defaults[key], value);
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function yamlPath(path: string): (string | number)[] {
  if (path === "(root)") return [];
  return path
    .replace(/\[(\d+)\]/g, ".$1")
    .split(".")
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
