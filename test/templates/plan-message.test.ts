import { describe, expect, it } from "vitest";
import type { PromotionPlan } from "../../src/promotions/plan-promotion.js";
import { blockedMessage } from "../../templates/blockers.js";
import { planMessage } from "../../templates/plan-message.js";

function plan(overrides: Partial<PromotionPlan> = {}): PromotionPlan {
  return {
    modelName: "churn",
    registryName: "churn-model",
    version: "42",
    environment: "production",
    versionFound: true,
    metrics: { accuracy: 0.934, latency_p99_ms: 2100 },
    champion: { version: "41", metrics: { accuracy: 0.91 } },
    gates: [
      { metric: "accuracy", expression: ">= 0.90", value: 0.934, passed: true },
      {
        metric: "latency_p99_ms",
        expression: "<= 2000",
        value: 2100,
        passed: false,
      },
    ],
    canary: [5, 25, 50, 100],
    bake: "10m",
    approvals: 2,
    approvers: ["S0MLLEADS", "U0RELMGR"],
    requiredGroup: "S0MLLEADS",
    approvalTimeout: "24h",
    blockers: [],
    ...overrides,
  };
}

describe("planMessage", () => {
  it("renders alias, canary, approvals and gates", () => {
    const message = planMessage(plan());

    expect(message.blocks).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "Plan: churn 42 → production",
            "type": "plain_text",
          },
          "type": "header",
        },
        {
          "text": {
            "text": "*Registry:* alias \`production\` of \`churn-model\` moves from version 41 to version 42 after success.
      *Rollout:* canary steps 5 % → 25 % → 50 % → 100 %, each baked for 10m.
      *Approvals:* 2 from <!subteam^S0MLLEADS>, <@U0RELMGR>, at least one from <!subteam^S0MLLEADS>, not the requester; expires after 24h.
      *Gates:*
      :white_check_mark: accuracy &gt;= 0.90 (0.934)
      :x: latency_p99_ms &lt;= 2000 (2100)",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "elements": [
            {
              "text": "Nothing was queued. Run /promote without --plan to request it.",
              "type": "mrkdwn",
            },
          ],
          "type": "context",
        },
      ]
    `);
  });

  it("lists blockers with their fixes", () => {
    const message = planMessage(
      plan({
        blockers: [
          {
            code: "frozen",
            message:
              "production is frozen until 2026-12-05T18:00:00.000Z: quarter close",
            fix: "wait until the freeze ends",
          },
        ],
      }),
    );

    expect(JSON.stringify(message.blocks)).toContain("*Blocked now:*");
    expect(JSON.stringify(message.blocks)).toContain(
      "_Fix:_ wait until the freeze ends",
    );
  });

  it("warns about a version the registry lacks", () => {
    const message = planMessage(plan({ versionFound: false }));

    expect(JSON.stringify(message.blocks)).toContain(
      "Version 42 was not found in the registry",
    );
  });

  it("describes a single full deployment", () => {
    const message = planMessage(plan({ canary: undefined, approvals: 0 }));

    const text = JSON.stringify(message.blocks);
    expect(text).toContain("one deployment at 100 % traffic");
    expect(text).toContain("*Approvals:* none needed.");
  });
});

describe("blockedMessage", () => {
  it("renders each blocker with its fix", () => {
    const message = blockedMessage({
      modelName: "churn",
      version: "42",
      environment: "staging",
      blockers: [
        {
          code: "stage_order",
          message:
            "version 42 of churn has not succeeded in dev, which comes before staging",
          fix: "promote it to dev first: /promote churn 42 dev",
        },
        {
          code: "locked",
          message:
            "staging is locked by <@U0OTHER01> until 2026-12-04T20:00:00.000Z: release train",
          fix: "ask <@U0OTHER01> to run /gantry unlock staging",
        },
      ],
    });

    expect(message.blocks).toMatchInlineSnapshot(`
      [
        {
          "text": {
            "text": "*churn 42 cannot be promoted to staging now*",
            "type": "mrkdwn",
          },
          "type": "section",
        },
        {
          "text": {
            "text": ":no_entry_sign: version 42 of churn has not succeeded in dev, which comes before staging
            _Fix:_ promote it to dev first: /promote churn 42 dev
      :no_entry_sign: staging is locked by <@U0OTHER01> until 2026-12-04T20:00:00.000Z: release train
            _Fix:_ ask <@U0OTHER01> to run /gantry unlock staging",
            "type": "mrkdwn",
          },
          "type": "section",
        },
      ]
    `);
  });

  it("keeps each section within 3000 characters", () => {
    const blockers = Array.from({ length: 60 }, (_, i) => ({
      code: "locked" as const,
      message: `production is locked by <@U${i}> until later: ${"very long reason ".repeat(10)}`,
      fix: "ask them to unlock it",
    }));

    const message = blockedMessage({
      modelName: "churn",
      version: "42",
      environment: "production",
      blockers,
    });

    for (const block of message.blocks) {
      if (block.type === "section" && block.text)
        expect(Array.from(block.text.text).length).toBeLessThanOrEqual(3000);
    }
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });
});
