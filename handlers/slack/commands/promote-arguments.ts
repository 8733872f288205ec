export const PROMOTE_USAGE =
  'Usage: `/promote MODEL VERSION ENVIRONMENT [--plan] [--break-freeze "reason"]`, for example `/promote churn 42 staging`.';

export type PromoteArguments = {
  model: string;
  version: string;
  environment: string;
  /** Show what the promotion would do, and queue nothing. */
  plan: boolean;
  /** An approver's reason for promoting during a freeze. */
  breakFreezeReason: string | undefined;
};

export type ParseResult<T> =
  { ok: true; value: T } | { ok: false; error: string };

/** Splits command text into words, keeping "quoted phrases" (straight or curly quotes) whole. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|“([^”]*)”|(\S+)/g;
  for (const match of text.matchAll(pattern)) {
    words.push(match[1] ?? match[2] ?? match[3] ?? "");
  }
  return words;
}

/** Parses the text after /promote, or returns what is wrong with it. */
export function parsePromoteArguments(
  text: string,
): ParseResult<PromoteArguments> {
  const words = splitWords(text.trim());
  const positional: string[] = [];
  let plan = false;
  let breakFreezeReason: string | undefined;

  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? "";
    if (word === "--plan") {
      plan = true;
    } else if (word === "--break-freeze") {
      breakFreezeReason = words[++i]?.trim();
      if (!breakFreezeReason || breakFreezeReason.startsWith("--")) {
        return {
          ok: false,
          error:
            '--break-freeze needs a reason in quotes, for example --break-freeze "hotfix for INC-42".',
        };
      }
    } else if (word.startsWith("--")) {
      return {
        ok: false,
        error: `Unknown option \`${word}\`; the options are --plan and --break-freeze "reason".`,
      };
    } else {
      positional.push(word);
    }
  }

  if (positional.length !== 3) {
    return {
      ok: false,
      error: `/promote needs 3 arguments (model, version, environment) but got ${positional.length}${positional.length > 0 ? `: \`${positional.join(" ")}\`` : ""}.`,
    };
  }

  const [model = "", version = "", environment = ""] = positional;
  const invalid = checkWords(model, version, environment);
  if (invalid) return { ok: false, error: invalid };
  return {
    ok: true,
    value: { model, version, environment, plan, breakFreezeReason },
  };
}

function checkWords(
  model: string,
  version: string,
  environment: string,
): string | undefined {
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/.test(model)
  ) {
    return `Invalid model name \`${model}\`; use the name from .github/gantry.yml.`;
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(version)) {
    return `Invalid version \`${version}\`; use the version number the model registry shows, for example 42.`;
  }
  if (!/^[a-z][a-z0-9_-]*$/.test(environment)) {
    return `Invalid environment \`${environment}\`; use a lower-case name such as staging.`;
  }
  return undefined;
}
