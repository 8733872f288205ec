import { isNode, LineCounter, parseDocument } from "yaml";
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
        line: error.linePos?.[0]?.line,
      })),
    };
  }

  const merged = mergeDefaults(defaults, document.toJS() ?? {});
  const result = validateRepoConfig(merged);
  if (result.ok) return result;

  return {
    ok: false,
    problems: result.problems.map((problem) => {
      const node = document.getIn(yamlPath(problem.path), true);
      const offset = isNode(node) ? node.range?.[0] : undefined;
      return {
        ...problem,
        line:
          offset === undefined ? undefined : lineCounter.linePos(offset).line,
      };
    }),
  };
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
