import { describe, expect, it } from "vitest";
import {
  DEFAULT_REASON,
  parseRetrainArguments,
} from "../../handlers/slack/commands/retrain-arguments.js";

describe("parseRetrainArguments", () => {
  it.each([
    ["churn", "churn", DEFAULT_REASON],
    ["churn drift on tenure_months", "churn", "drift on tenure_months"],
    ["  churn   drift  ", "churn", "drift"],
    ['churn "quarterly refresh"', "churn", "quarterly refresh"],
    ["churn “quarterly refresh”", "churn", "quarterly refresh"],
    ['churn ""', "churn", DEFAULT_REASON],
    [
      "example-user/Hello-World:churn new labels",
      "example-user/Hello-World:churn",
      "new labels",
    ],
    ["churn.v2 x", "churn.v2", "x"],
  ])("parses %j", (text, model, reason) => {
    const parsed = parseRetrainArguments(text);

    expect(parsed).toEqual({ ok: true, value: { model, reason } });
  });

  it.each([
    ["", "/retrain needs a model name."],
    ["   ", "/retrain needs a model name."],
    ["-churn", "Invalid model name `-churn`"],
    ["churn!", "Invalid model name `churn!`"],
    ["<@U0000001>", "Invalid model name `<@U0000001>`"],
    [
      `churn ${"x".repeat(501)}`,
      "The reason is 501 characters long; keep it to 500.",
    ],
  ])("rejects %j", (text, error) => {
    const parsed = parseRetrainArguments(text);

    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error).toContain(error);
  });

  it("accepts a reason of exactly 500 characters", () => {
    const parsed = parseRetrainArguments(`churn ${"é".repeat(500)}`);

    expect(parsed.ok).toBe(true);
  });
});
