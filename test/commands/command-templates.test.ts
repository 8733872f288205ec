import { describe, expect, it } from "vitest";
import { parseAuditEntry } from "../../src/audit/audit-event.js";
import {
  fromHashFields,
  toHashFields,
  type Promotion,
  type PromotionStatus,
} from "../../src/promotion.js";
import type { ModelStatus } from "../../src/queries/model-status.js";
import { auditLog } from "../../templates/audit-log.js";
import type { CommandReply } from "../../templates/command-reply.js";
import { gantryHelp } from "../../templates/gantry-help.js";
import { gantryHistory } from "../../templates/gantry-history.js";
import { gantryStatus } from "../../templates/gantry-status.js";
import { frozen } from "../../templates/freeze-messages.js";
import { lockHeld, lockReminder } from "../../templates/lock-messages.js";
import { LIMITS } from "../../templates/limits.js";
import { newPromotion } from "../helpers/promotions.js";

const NOW = new Date("2025-03-14T12:00:00Z");
const HOUR = 3_600_000;
const CHURN = "example-user/Hello-World:churn";

function promotion(
  id: string,
  status: PromotionStatus,
  overrides: Partial<Promotion> = {},
): Promotion {
  const promotion = fromHashFields(
    toHashFields({
      ...newPromotion(),
      id,
      status,
      rev: 1,
      createdAt: "2025-03-14T09:00:00.000Z",
      updatedAt: "2025-03-14T09:30:00.000Z",
      ...overrides,
    }),
  );
  if (!promotion) throw new Error("promotion fixture is empty");
  return promotion;
}

function churnStatus(): ModelStatus {
  return {
    key: CHURN,
    name: "churn",
    environments: [
      { name: "dev", liveVersion: "42", lock: undefined, freeze: undefined },
      {
        name: "staging",
        liveVersion: "41",
        lock: {
          environment: "staging",
          owner: "U0000001",
          reason: "load test",
          acquiredAt: new Date(NOW.getTime() - 80 * 60_000),
          expiresAt: new Date(NOW.getTime() + 160 * 60_000),
          token: "0".repeat(32),
        },
        freeze: undefined,
      },
      {
        name: "production",
        liveVersion: undefined,
        lock: undefined,
        freeze: {
          environment: "production",
          reason: "weekend",
          startsAt: new Date("2025-03-14T17:00:00Z"),
          endsAt: new Date("2025-03-17T07:00:00Z"),
          source: "config",
          by: undefined,
        },
      },
    ],
    inFlight: [promotion("prm_pending", "pending_approval")],
  };
}

/** Checks every limit Slack enforces on the blocks these templates use. */
function expectWithinLimits(reply: CommandReply): void {
  expect(reply.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
  expect(Array.from(reply.text).length).toBeLessThanOrEqual(LIMITS.messageText);
  const length = (text: string) => Array.from(text).length;
  for (const block of reply.blocks) {
    if (block.type === "header")
      expect(length(block.text.text)).toBeLessThanOrEqual(LIMITS.headerText);
    if (block.type === "section")
      expect(length(block.text?.text ?? "")).toBeLessThanOrEqual(
        LIMITS.sectionText,
      );
    if (block.type === "context")
      for (const element of block.elements)
        expect(
          length("text" in element ? element.text : ""),
        ).toBeLessThanOrEqual(LIMITS.fieldText);
  }
}

describe("gantryStatus", () => {
  it("renders live versions, a lock, a freeze and a pending promotion", () => {
    const reply = gantryStatus({
      models: [churnStatus()],
      omitted: 0,
      now: NOW,
    });

    expect(reply).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Status: churn",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "*example-user/Hello-World:churn*
      • \`dev\`: version 42 live
      • \`staging\`: version 41 live · :lock: locked by <@U0000001> (“load test”), held 1h20m, until <!date^1741963200^{date_short_pretty} {time}|2025-03-14 14:40 UTC>
      • \`production\`: nothing live yet · :snowflake: frozen by .github/gantry.yml (“weekend”) until <!date^1742194800^{date_short_pretty} {time}|2025-03-17 07:00 UTC>
      *In flight:*
      • 42 → \`staging\`: :hourglass_flowing_sand: Waiting for approval, requested by <@U0000001> (prm_pending)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
        ],
        "text": "Status of churn",
      }
    `);
  });

  it("says when no model is configured", () => {
    const reply = gantryStatus({ models: [], omitted: 0, now: NOW });

    expect(reply.text).toBe("No models are configured yet.");
  });

  it("stays within Block Kit limits for many long models", () => {
    const long = "模型🚀".repeat(400);
    const models = Array.from({ length: 60 }, (_, i) => ({
      ...churnStatus(),
      key: `${long}:${i}`,
      name: long,
      inFlight: Array.from({ length: 30 }, (_, j) =>
        promotion(`prm_${j}`, "canary", { version: long, environment: long }),
      ),
    }));

    const reply = gantryStatus({ models, omitted: 12, now: NOW });

    expectWithinLimits(reply);
    expect(JSON.stringify(reply.blocks.at(-1))).toContain(
      "more blocks were left out",
    );
  });
});

describe("gantryHistory", () => {
  it("renders promotions with requester and approvers", () => {
    const reply = gantryHistory({
      modelKey: CHURN,
      modelName: "churn",
      environment: "staging",
      items: [
        {
          promotion: promotion("prm_2", "rejected", {
            version: "43",
            reason: "accuracy dropped on the holdout set",
          }),
          approvedBy: [],
        },
        {
          promotion: promotion("prm_1", "succeeded"),
          approvedBy: ["U0000002", "U0000003"],
        },
      ],
    });

    expect(reply).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "History: churn to staging",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "• <!date^1741942800^{date_short_pretty} {time}|2025-03-14 09:00 UTC> · *43* → \`staging\` · :no_entry: Rejected · requested by <@U0000001> · no approvals (prm_2)
          _accuracy dropped on the holdout set_
      • <!date^1741942800^{date_short_pretty} {time}|2025-03-14 09:00 UTC> · *42* → \`staging\` · :large_green_circle: Succeeded · requested by <@U0000001> · approved by <@U0000002>, <@U0000003> (prm_1)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "2 most recent, newest first · example-user/Hello-World:churn",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Recent promotions of churn to staging",
      }
    `);
  });

  it("stays within Block Kit limits for long reasons", () => {
    const items = Array.from({ length: 15 }, (_, i) => ({
      promotion: promotion(`prm_${i}`, "failed", {
        reason: "<script>&".repeat(2000),
        version: "v".repeat(300),
      }),
      approvedBy: Array.from(
        { length: 20 },
        (_, j) => `U${String(j).padStart(8, "0")}`,
      ),
    }));

    const reply = gantryHistory({
      modelKey: CHURN,
      modelName: "churn".repeat(100),
      environment: undefined,
      items,
    });

    expectWithinLimits(reply);
    expect(JSON.stringify(reply)).not.toContain("<script>");
  });
});

describe("auditLog", () => {
  it("renders who, what, when, why and the version", () => {
    const events = [
      parseAuditEntry([
        "1741946400000-0",
        [
          "model",
          CHURN,
          "promotion",
          "",
          "version",
          "",
          "environment",
          "production",
          "action",
          "freeze",
          "from",
          "",
          "to",
          "",
          "actor",
          "U0000003",
          "reason",
          "quarter close",
          "at",
          "2025-03-14T10:00:00.000Z",
          "rev",
          "",
          "until",
          "2025-03-14T12:00:00.000Z",
        ],
      ]),
      parseAuditEntry([
        "1741944600000-0",
        [
          "promotion",
          "prm_1",
          "model",
          CHURN,
          "version",
          "42",
          "environment",
          "staging",
          "action",
          "transition",
          "from",
          "pending_approval",
          "to",
          "approved",
          "actor",
          "U0000002",
          "reason",
          "",
          "at",
          "2025-03-14T09:30:00.000Z",
          "rev",
          "2",
        ],
      ]),
      parseAuditEntry([
        "1741942800000-0",
        [
          "promotion",
          "prm_1",
          "model",
          CHURN,
          "version",
          "42",
          "environment",
          "staging",
          "action",
          "created",
          "from",
          "",
          "to",
          "pending_approval",
          "actor",
          "U0000001",
          "reason",
          "",
          "at",
          "2025-03-14T09:00:00.000Z",
          "rev",
          "0",
        ],
      ]),
    ];

    const reply = auditLog({ modelKey: CHURN, modelName: "churn", events });

    expect(reply).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Audit: churn",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "text": {
              "text": "• <!date^1741946400^{date_short_pretty} {time}|2025-03-14 10:00 UTC> · <@U0000003> froze until <!date^1741953600^{date_short_pretty} {time}|2025-03-14 12:00 UTC> \`production\` · _quarter close_
      • <!date^1741944600^{date_short_pretty} {time}|2025-03-14 09:30 UTC> · <@U0000002> moved pending_approval → approved: version *42* \`staging\` (prm_1)
      • <!date^1741942800^{date_short_pretty} {time}|2025-03-14 09:00 UTC> · <@U0000001> requested version *42* \`staging\` (prm_1)",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "3 most recent, newest first · \`GET /audit/export\` returns them all as JSON lines",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Recent audit events of churn",
      }
    `);
  });
});

describe("lock and freeze messages", () => {
  const lock = {
    environment: "production",
    owner: "U0000001",
    reason: "schema change",
    acquiredAt: new Date(NOW.getTime() - 2 * HOUR - 5 * 60_000),
    expiresAt: new Date(NOW.getTime() + HOUR),
    token: "0".repeat(32),
  };

  it("shows the holder, reason and age of a held lock", () => {
    expect(lockHeld({ lock, now: NOW }).text).toMatchInlineSnapshot(
      `":lock: \`production\` is already locked by <@U0000001> for “schema change”, held for 2h5m, until <!date^1741957200^{date_short_pretty} {time}|2025-03-14 13:00 UTC>. Ask them to unlock it, or wait until it expires."`,
    );
  });

  it("reminds with the age and expiry", () => {
    expect(lockReminder({ lock, now: NOW }).text).toMatchInlineSnapshot(
      `":hourglass: Reminder: <@U0000001> has held the lock on \`production\` for 2h5m for “schema change”. It expires <!date^1741957200^{date_short_pretty} {time}|2025-03-14 13:00 UTC>; \`/gantry unlock production\` releases it sooner."`,
    );
  });

  it("keeps a huge freeze reason within a section", () => {
    const reply = frozen({
      freeze: {
        environment: "production",
        reason: "🧊".repeat(5000),
        startsAt: NOW,
        endsAt: new Date(NOW.getTime() + HOUR),
        source: "command",
        by: "U0000001",
      },
      replaced: false,
    });

    expectWithinLimits(reply);
  });
});

describe("gantryHelp", () => {
  it("stays within Block Kit limits", () => {
    expectWithinLimits(gantryHelp());
  });
});
