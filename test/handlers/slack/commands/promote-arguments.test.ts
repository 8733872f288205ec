import { describe, expect, it } from "vitest";
import {
  parsePromoteArguments,
  splitWords,
} from "../../../../handlers/slack/commands/promote-arguments.js";

describe("parsePromoteArguments", () => {
  it.each([
    {
      text: "churn 42 staging",
      value: { model: "churn", version: "42", environment: "staging" },
    },
    {
      text: "  churn   42\tproduction ",
      value: { model: "churn", version: "42", environment: "production" },
    },
    {
      text: "example-user/Hello-World:churn 42 staging",
      value: {
        model: "example-user/Hello-World:churn",
        version: "42",
        environment: "staging",
      },
    },
    {
      text: "churn 1.2.0-rc_1 dev",
      value: { model: "churn", version: "1.2.0-rc_1", environment: "dev" },
    },
  ])("parses $text", ({ text, value }) => {
    expect(parsePromoteArguments(text)).toEqual({
      ok: true,
      value: { ...value, plan: false, breakFreezeReason: undefined },
    });
  });

  it.each([
    {
      text: "churn 42 staging --plan",
      plan: true,
      breakFreezeReason: undefined,
    },
    {
      text: 'churn 42 production --break-freeze "hotfix for INC-42"',
      plan: false,
      breakFreezeReason: "hotfix for INC-42",
    },
    {
      text: "churn 42 production --break-freeze “quarter close fix” --plan",
      plan: true,
      breakFreezeReason: "quarter close fix",
    },
  ])("parses options in $text", ({ text, plan, breakFreezeReason }) => {
    const parsed = parsePromoteArguments(text);

    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.plan).toBe(plan);
    expect(parsed.value.breakFreezeReason).toBe(breakFreezeReason);
  });

  it.each([
    {
      text: "",
      error:
        "/promote needs 3 arguments (model, version, environment) but got 0.",
    },
    {
      text: "churn 42",
      error:
        "/promote needs 3 arguments (model, version, environment) but got 2: `churn 42`.",
    },
    {
      text: "churn 42 staging now",
      error:
        "/promote needs 3 arguments (model, version, environment) but got 4: `churn 42 staging now`.",
    },
    {
      text: "<@U0000002> 42 staging",
      error:
        "Invalid model name `<@U0000002>`; use the name from .github/gantry.yml.",
    },
    {
      text: "churn v42! staging",
      error:
        "Invalid version `v42!`; use the version number the model registry shows, for example 42.",
    },
    {
      text: `churn ${"9".repeat(65)} staging`,
      error: expect.stringMatching(/^Invalid version `9{65}`/) as string,
    },
    {
      text: "churn 42 Staging",
      error:
        "Invalid environment `Staging`; use a lower-case name such as staging.",
    },
    {
      text: "churn 42 staging --force",
      error:
        'Unknown option `--force`; the options are --plan and --break-freeze "reason".',
    },
    {
      text: "churn 42 staging --break-freeze",
      error:
        '--break-freeze needs a reason in quotes, for example --break-freeze "hotfix for INC-42".',
    },
  ])("rejects $text", ({ text, error }) => {
    expect(parsePromoteArguments(text)).toEqual({ ok: false, error });
  });
});

describe("splitWords", () => {
  it.each([
    { text: "a b  c", words: ["a", "b", "c"] },
    { text: 'a "b c" d', words: ["a", "b c", "d"] },
    { text: "a “b c” d", words: ["a", "b c", "d"] },
    { text: 'a ""', words: ["a", ""] },
    { text: "", words: [] },
  ])("splits $text", ({ text, words }) => {
    expect(splitWords(text)).toEqual(words);
  });
});
