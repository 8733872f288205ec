import { parseDuration } from "../../../../src/config/duration.js";
import { MAX_WINDOW_MS } from "../../../../src/config/freeze-window-schema.js";
import { MAX_LOCK_MS } from "../../../../src/environment-locks.js";
import { closestName } from "../../../../src/text/closest-name.js";
import {
  decodeSlackText,
  splitArguments,
} from "../../../../src/text/split-arguments.js";
import { SUBCOMMANDS, usageLine, type SubcommandName } from "./usage.js";

/** The longest reason a lock or freeze may carry, in characters. */
export const MAX_REASON_LENGTH = 500;
const MIN_DURATION_MS = 60_000;

export type GantryCommand =
  | { name: "help" }
  | { name: "status"; model: string | undefined }
  | { name: "history"; model: string; environment: string | undefined }
  | { name: "audit"; model: string }
  | {
      name: "lock";
      environment: string;
      durationMs: number | undefined;
      reason: string;
    }
  | { name: "unlock"; environment: string }
  | { name: "freeze"; environment: string; durationMs: number; reason: string }
  | { name: "unfreeze"; environment: string };

export type ParseResult =
  | { ok: true; command: GantryCommand }
  | { ok: false; error: string; usage: string };

const MODEL = /^[A-Za-z0-9][A-Za-z0-9._/-]*(:[A-Za-z0-9][A-Za-z0-9._-]*)?$/;
const ENVIRONMENT = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** Parses the text after /gantry, or returns what is wrong with it and the usage to show. */
export function parseGantryCommand(text: string): ParseResult {
  const split = splitArguments(decodeSlackText(text));
  if (!split.ok) return { ok: false, error: split.error, usage: allUsage() };

  const [first, ...rest] = split.words;
  if (first === undefined) return { ok: true, command: { name: "help" } };

  const name = first.toLowerCase();
  if (!isSubcommand(name)) {
    const suggestion = closestName(name, SUBCOMMANDS);
    const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : "";
    return {
      ok: false,
      error: `Unknown subcommand \`${first}\`.${hint}`,
      usage: allUsage(),
    };
  }

  const parsed = PARSERS[name](rest);
  if (typeof parsed === "string")
    return { ok: false, error: parsed, usage: usageLine(name) };
  return { ok: true, command: parsed };
}

type Parser = (words: string[]) => GantryCommand | string;

const PARSERS: Record<SubcommandName, Parser> = {
  help: (words) => noneLeft("help", words, 0) ?? { name: "help" },
  status: (words) =>
    noneLeft("status", words, 1) ??
    checkModel(words[0], false) ?? { name: "status", model: words[0] },
  history: (words) =>
    noneLeft("history", words, 2) ??
    checkModel(words[0], true) ??
    checkEnvironment(words[1], false) ?? {
      name: "history",
      model: words[0] ?? "",
      environment: words[1],
    },
  audit: (words) =>
    noneLeft("audit", words, 1) ??
    checkModel(words[0], true) ?? { name: "audit", model: words[0] ?? "" },
  lock: parseLock,
  unlock: (words) =>
    noneLeft("unlock", words, 1) ??
    checkEnvironment(words[0], true) ?? {
      name: "unlock",
      environment: words[0] ?? "",
    },
  freeze: parseFreeze,
  unfreeze: (words) =>
    noneLeft("unfreeze", words, 1) ??
    checkEnvironment(words[0], true) ?? {
      name: "unfreeze",
      environment: words[0] ?? "",
    },
};

function parseLock(words: string[]): GantryCommand | string {
  const [environment, second, ...more] = words;
  const environmentError = checkEnvironment(environment, true);
  if (environmentError) return environmentError;

  const durationMs = second === undefined ? undefined : parseDuration(second);
  // A word that starts like a number was meant as a duration, so "-1h" or
  // "2hours" is an invalid duration rather than the first word of a reason.
  if (
    durationMs === undefined &&
    second !== undefined &&
    /^[-+]?\d/.test(second)
  ) {
    return (
      checkDuration(second, undefined, {
        maxMs: MAX_LOCK_MS,
        maxText: "24h",
      }) ?? ""
    );
  }
  const reasonWords = durationMs === undefined ? words.slice(1) : more;
  if (durationMs !== undefined) {
    const error = checkDuration(second ?? "", durationMs, {
      maxMs: MAX_LOCK_MS,
      maxText: "24h",
    });
    if (error) return error;
  }
  const reason = reasonWords.join(" ").trim();
  return (
    checkReason(reason) ?? {
      name: "lock",
      environment: environment ?? "",
      durationMs,
      reason,
    }
  );
}

function parseFreeze(words: string[]): GantryCommand | string {
  const [environment, duration, ...reasonWords] = words;
  const environmentError = checkEnvironment(environment, true);
  if (environmentError) return environmentError;
  if (duration === undefined)
    return "`freeze` needs a duration, for example 2h, and a reason in quotes.";

  const durationMs = parseDuration(duration);
  const durationError = checkDuration(duration, durationMs, {
    maxMs: MAX_WINDOW_MS,
    maxText: "31d",
  });
  if (durationError) return durationError;

  const reason = reasonWords.join(" ").trim();
  if (reason === "")
    return '`freeze` needs a reason, in quotes when it has several words, for example "quarter close".';
  return (
    checkReason(reason) ?? {
      name: "freeze",
      environment: environment ?? "",
      durationMs: durationMs ?? 0,
      reason,
    }
  );
}

function noneLeft(
  name: SubcommandName,
  words: string[],
  max: number,
): string | undefined {
  if (words.length <= max) return undefined;
  const extra = words
    .slice(max)
    .map((word) => `\`${word}\``)
    .join(" ");
  return `\`${name}\` takes at most ${max} argument${max === 1 ? "" : "s"}; remove ${extra}. Put a reason of several words in quotes.`;
}

function checkModel(
  model: string | undefined,
  required: boolean,
): string | undefined {
  if (model === undefined)
    return required
      ? "Missing model; name one from .github/gantry.yml."
      : undefined;
  if (MODEL.test(model)) return undefined;
  return `Invalid model name \`${model}\`; use the name from .github/gantry.yml, or \`owner/repo:name\`.`;
}

function checkEnvironment(
  environment: string | undefined,
  required: boolean,
): string | undefined {
  if (environment === undefined)
    return required
      ? "Missing environment, for example `production`."
      : undefined;
  if (ENVIRONMENT.test(environment)) return undefined;
  return `Invalid environment \`${environment}\`; use a name such as \`staging\` or \`production\`.`;
}

function checkDuration(
  text: string,
  durationMs: number | undefined,
  max: { maxMs: number; maxText: string },
): string | undefined {
  if (durationMs === undefined)
    return `Invalid duration \`${text}\`; use a number and a unit, for example 30m, 2h or 1d.`;
  if (durationMs < MIN_DURATION_MS)
    return `Duration \`${text}\` is too short; use at least 1m.`;
  if (durationMs > max.maxMs)
    return `Duration \`${text}\` is too long; use at most ${max.maxText}.`;
  return undefined;
}

function checkReason(reason: string): string | undefined {
  const length = Array.from(reason).length;
  if (length <= MAX_REASON_LENGTH) return undefined;
  return `The reason has ${length} characters; shorten it to at most ${MAX_REASON_LENGTH}.`;
}

function isSubcommand(name: string): name is SubcommandName {
  return (SUBCOMMANDS as readonly string[]).includes(name);
}

function allUsage(): string {
  return `Usage: ${SUBCOMMANDS.map((name) => `\`/gantry ${name}\``).join(", ")}; \`/gantry help\` explains each.`;
}
