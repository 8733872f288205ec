import { describe, expect, it } from "vitest";
import type { Promotion } from "../../src/promotion.js";
import { approvalCard } from "../../templates/approval-card.js";
import { canaryProgressText } from "../../templates/canary-progress.js";
import { progressNote } from "../../templates/progress-note.js";
import { PLAN } from "../helpers/canary.js";
import { storedPromotion } from "../helpers/promotions.js";

function canary(overrides: Partial<Promotion>): Promotion {
  return storedPromotion({
    environment: "production",
    canaryPlan: PLAN,
    status: "canary",
    ...overrides,
  });
}

describe("canary card", () => {
  it.each<[string, Partial<Promotion>, string]>([
    [
      "a plan before approval",
      { status: "pending_approval" },
      "*Canary:* 5 % → 25 % → 50 % → 100 % (bake 2s per step)",
    ],
    [
      "a step deploying",
      { canaryStep: 1, stepPhase: "deploying" },
      "*Canary:* 5 % ✓ → *25 %* deploying → 50 % → 100 % (bake 2s per step)",
    ],
    [
      "a step baking",
      {
        canaryStep: 2,
        stepPhase: "baking",
        bakeStartedAt: "2024-05-14T10:00:00.000Z",
      },
      "*Canary:* 5 % ✓ → 25 % ✓ → *50 %* baking until 2024-05-14T10:00:02.000Z → 100 % (bake 2s per step)",
    ],
    [
      "a rolled-back step",
      { status: "rolled_back", canaryStep: 1, stepPhase: "baking" },
      "*Canary:* 5 % ✓ → *25 %* ✗ → 50 % → 100 % (bake 2s per step)",
    ],
    [
      "a finished canary",
      { status: "succeeded", canaryStep: 3, stepPhase: "baking" },
      "*Canary:* 5 % ✓ → 25 % ✓ → 50 % ✓ → 100 % ✓ (bake 2s per step)",
    ],
  ])("shows %s", (_name, overrides, expected) => {
    expect(canaryProgressText(canary(overrides))).toBe(expected);
  });

  it("offers Continue and Roll back while paused", () => {
    const card = approvalCard({
      promotion: canary({ canaryStep: 2, stepPhase: "paused" }),
      approvedBy: ["U0RELMGR"],
    });

    expect(card.blocks.filter((block) => block.type === "actions"))
      .toMatchInlineSnapshot(`
      [
        {
          "block_id": "canary_actions",
          "elements": [
            {
              "action_id": "canary_continue",
              "style": "primary",
              "text": {
                "text": "Continue",
                "type": "plain_text",
              },
              "type": "button",
              "value": "{"promotionId":"prm_lx7k2m9a0b1c2d3e4f","step":2}",
            },
            {
              "action_id": "canary_rollback",
              "style": "danger",
              "text": {
                "text": "Roll back",
                "type": "plain_text",
              },
              "type": "button",
              "value": "{"promotionId":"prm_lx7k2m9a0b1c2d3e4f","step":2}",
            },
          ],
          "type": "actions",
        },
      ]
    `);
  });

  it("names a rollback and what it replaces", () => {
    const card = approvalCard({
      promotion: storedPromotion({
        kind: "rollback",
        environment: "production",
        version: "41",
        championVersion: "42",
        rollbackOf: "prm_canary42",
        requestedBy: "gantry",
        status: "deploying",
      }),
      approvedBy: [],
    });

    expect(card.text).toBe(
      "Rollback churn production → 41: :rocket: Deploying",
    );
    expect(JSON.stringify(card.blocks)).toContain(
      "*Rolls back* version 42 (promotion prm_canary42) in production to version 41",
    );
    expect(JSON.stringify(card.blocks)).toContain(
      "*Requested by:*\\nGantry (automation)",
    );
  });

  it("writes each step's numbers in the thread", () => {
    const promotion = canary({ canaryStep: 1, stepPhase: "deploying" });

    const text = progressNote(promotion, {
      kind: "step_passed",
      step: 0,
      summary: { checks: 2, passed: 2, noData: 0, last: "healthy: 0.004" },
    });

    expect(text).toBe(
      ":white_check_mark: Canary step 1 of 4 (5 %) passed its 2s bake: 2 of 2 health checks passed; last healthy: 0.004; no critical alert.",
    );
  });
});
