import { describe, expect, it } from "vitest";
import {
  parseGantryCommand,
  type GantryCommand,
} from "../../handlers/slack/commands/gantry/parse-gantry-command.js";
import { splitArguments } from "../../src/text/split-arguments.js";

const HOUR = 3_600_000;

describe("parseGantryCommand", () => {
  it.each<[string, GantryCommand]>([
    ["", { name: "help" }],
    ["help", { name: "help" }],
    ["HELP", { name: "help" }],
    ["status", { name: "status", model: undefined }],
    ["status churn", { name: "status", model: "churn" }],
    [
      "status example-user/Hello-World:churn",
      { name: "status", model: "example-user/Hello-World:churn" },
    ],
    [
      "history churn",
      { name: "history", model: "churn", environment: undefined },
    ],
    [
      "  history   churn   production ",
      { name: "history", model: "churn", environment: "production" },
    ],
    ["audit churn", { name: "audit", model: "churn" }],
    [
      "lock production",
      {
        name: "lock",
        environment: "production",
        durationMs: undefined,
        reason: "",
      },
    ],
    [
      'lock production "database migration"',
      {
        name: "lock",
        environment: "production",
        durationMs: undefined,
        reason: "database migration",
      },
    ],
    [
      "lock production database migration",
      {
        name: "lock",
        environment: "production",
        durationMs: undefined,
        reason: "database migration",
      },
    ],
    [
      'lock production 90m "schema change"',
      {
        name: "lock",
        environment: "production",
        durationMs: 90 * 60_000,
        reason: "schema change",
      },
    ],
    [
      "lock production 1h30m",
      {
        name: "lock",
        environment: "production",
        durationMs: 90 * 60_000,
        reason: "",
      },
    ],
    ["unlock production", { name: "unlock", environment: "production" }],
    [
      'freeze production 2h "quarter close"',
      {
        name: "freeze",
        environment: "production",
        durationMs: 2 * HOUR,
        reason: "quarter close",
      },
    ],
    [
      "freeze production 30m “quarter close”",
      {
        name: "freeze",
        environment: "production",
        durationMs: 30 * 60_000,
        reason: "quarter close",
      },
    ],
    [
      "freeze staging 1d ‘it’s the audit’",
      {
        name: "freeze",
        environment: "staging",
        durationMs: 24 * HOUR,
        reason: "it’s the audit",
      },
    ],
    [
      "freeze staging 31d end of year",
      {
        name: "freeze",
        environment: "staging",
        durationMs: 31 * 24 * HOUR,
        reason: "end of year",
      },
    ],
    [
      'freeze production 2h "R&amp;D &lt;review&gt;"',
      {
        name: "freeze",
        environment: "production",
        durationMs: 2 * HOUR,
        reason: "R&D <review>",
      },
    ],
    ["unfreeze production", { name: "unfreeze", environment: "production" }],
  ])("parses %j", (text, expected) => {
    expect(parseGantryCommand(text)).toEqual({ ok: true, command: expected });
  });

  it.each<[string, string, string]>([
    ["stauts", "Did you mean `status`?", "`/gantry help` explains each"],
    ["deploy churn", "Unknown subcommand `deploy`", "`/gantry status`"],
    ["help me", "`help` takes at most 0 arguments", "`/gantry help`"],
    ["status churn extra", "remove `extra`", "/gantry status [MODEL]"],
    ["history", "Missing model", "/gantry history MODEL [ENVIRONMENT]"],
    [
      "history churn staging now",
      "at most 2 arguments",
      "/gantry history MODEL [ENVIRONMENT]",
    ],
    ["history chu!rn", "Invalid model name `chu!rn`", "/gantry history"],
    ["history churn Pro*d", "Invalid environment `Pro*d`", "/gantry history"],
    ["audit", "Missing model", "/gantry audit MODEL"],
    ["lock", "Missing environment", "/gantry lock ENVIRONMENT"],
    [
      "lock production 48h",
      "`48h` is too long; use at most 24h",
      "/gantry lock",
    ],
    ["lock production 0m", "`0m` is too short", "/gantry lock"],
    ["unlock", "Missing environment", "/gantry unlock ENVIRONMENT"],
    ["unlock production now", "remove `now`", "/gantry unlock ENVIRONMENT"],
    [
      "freeze",
      "Missing environment",
      '/gantry freeze ENVIRONMENT DURATION "reason"',
    ],
    ["freeze production", "needs a duration", "/gantry freeze"],
    [
      'freeze production 2x "quarter close"',
      "Invalid duration `2x`",
      "/gantry freeze",
    ],
    ["freeze production -1h close", "Invalid duration `-1h`", "/gantry freeze"],
    ["freeze production h close", "Invalid duration `h`", "/gantry freeze"],
    [
      "freeze production 30s close",
      "`30s` is too short; use at least 1m",
      "/gantry freeze",
    ],
    [
      "freeze production 32d close",
      "`32d` is too long; use at most 31d",
      "/gantry freeze",
    ],
    ["freeze production 2h", "needs a reason", "/gantry freeze"],
    ['freeze production 2h ""', "needs a reason", "/gantry freeze"],
    [
      'freeze production 2h "quarter close',
      "is never closed",
      "`/gantry help`",
    ],
    [
      `freeze production 2h ${"x".repeat(501)}`,
      "shorten it to at most 500",
      "/gantry freeze",
    ],
    ["unfreeze", "Missing environment", "/gantry unfreeze ENVIRONMENT"],
  ])("rejects %j", (text, error, usage) => {
    const result = parseGantryCommand(text);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain(error);
    expect(result.usage).toContain(usage);
  });
});

describe("splitArguments", () => {
  it.each<[string, string[]]>([
    ["a b  c", ["a", "b", "c"]],
    ['"two words" three', ["two words", "three"]],
    ["“curly quotes” work", ["curly quotes", "work"]],
    ["'single' ‘curly single’", ["single", "curly single"]],
    ["it's fine", ["it's", "fine"]],
    ['"" empty', ["", "empty"]],
    ["‘it’s late’ now", ["it’s late", "now"]],
    ['"a"b" c', ['a"b', "c"]],
    ['émoji 🚀 "日本語 の理由"', ["émoji", "🚀", "日本語 の理由"]],
  ])("splits %j", (text, words) => {
    expect(splitArguments(text)).toEqual({ ok: true, words });
  });

  it("reports an unclosed quote", () => {
    const result = splitArguments('freeze "quarter close');

    expect(result).toEqual({
      ok: false,
      error:
        'The quote " that starts `"quarter close` is never closed; end the text with ".',
    });
  });
});
