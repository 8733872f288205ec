import { describe, expect, it } from "vitest";
import { rollbackReply } from "../../handlers/alerts/rollback-button.js";

describe("rollbackReply", () => {
  it("says rollback is not available", () => {
    const reply = rollbackReply({
      model: "example-user/Hello-World:churn",
      environment: "production",
      fingerprint: "9e8d7c6b5a403f21",
    });

    expect(reply).toBe(
      "Rolling back example-user/Hello-World:churn in production from an alert is not available in Gantry yet, so nothing was changed. Roll back with your deploy workflow.",
    );
  });

  it("handles a button without a model", () => {
    expect(rollbackReply(undefined)).toBe(
      "This Roll back button carries no model; nothing was changed.",
    );
  });
});
