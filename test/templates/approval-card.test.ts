import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { approvalCard } from "../../templates/approval-card.js";
import { LIMITS } from "../../templates/limits.js";
import { storedPromotion } from "../helpers/promotions.js";

/** Slack counts characters; a code point is never split, so count by code point. */
function length(text: string): number {
  return Array.from(text).length;
}

/** True when no UTF-16 surrogate is left without its pair. */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(
    text,
  );
}

/** Lists every text the blocks carry, each with the limit Block Kit sets for it. */
function textsWithLimits(blocks: KnownBlock[]): [string, number][] {
  return blocks.flatMap((block): [string, number][] => {
    switch (block.type) {
      case "header":
        return [[block.text.text, LIMITS.headerText]];
      case "section":
        return [
          ...(block.text ? [[block.text.text, LIMITS.sectionText]] : []),
          ...(block.fields ?? []).map((field): [string, number] => [
            field.text,
            LIMITS.fieldText,
          ]),
        ] as [string, number][];
      case "context":
        return block.elements.map((element): [string, number] => [
          "text" in element ? element.text : "",
          LIMITS.sectionText,
        ]);
      case "actions":
        return block.elements.map((element): [string, number] => [
          "text" in element && element.text && "text" in element.text
            ? element.text.text
            : "",
          LIMITS.buttonText,
        ]);
      default:
        return [];
    }
  });
}

describe("approvalCard", () => {
  it("renders a pending promotion", () => {
    const card = approvalCard({
      promotion: storedPromotion(),
      approvedBy: ["U0000002"],
    });

    expect(card).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Promotion: churn 42 → staging",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "fields": [
              {
                "text": "*Model:*
      churn",
                "type": "mrkdwn",
              },
              {
                "text": "*Version:*
      42",
                "type": "mrkdwn",
              },
              {
                "text": "*Environment:*
      staging",
                "type": "mrkdwn",
              },
              {
                "text": "*Requested by:*
      <@U0000001>",
                "type": "mrkdwn",
              },
              {
                "text": "*Approvals:*
      1 of 2, 1 more needed (<@U0000002>)",
                "type": "mrkdwn",
              },
              {
                "text": "*Status:*
      :hourglass_flowing_sand: Waiting for approval",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "text": {
              "text": "*Metrics:* v42 against v41, live in staging
      \`\`\`metric                            v42   v41 (live)     change
      accuracy                       0.9340       0.9100   +0.02400\`\`\`",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "block_id": "promotion_actions",
            "elements": [
              {
                "action_id": "promotion_approve",
                "style": "primary",
                "text": {
                  "text": "Approve",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "prm_lx7k2m9a0b1c2d3e4f",
              },
              {
                "action_id": "promotion_preview",
                "text": {
                  "text": "Preview",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "prm_lx7k2m9a0b1c2d3e4f",
              },
              {
                "action_id": "promotion_reject",
                "style": "danger",
                "text": {
                  "text": "Reject",
                  "type": "plain_text",
                },
                "type": "button",
                "value": "prm_lx7k2m9a0b1c2d3e4f",
              },
            ],
            "type": "actions",
          },
          {
            "elements": [
              {
                "text": "prm_lx7k2m9a0b1c2d3e4f · example-user/Hello-World · registry model \`churn-model\`",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Promotion churn 42 → staging: :hourglass_flowing_sand: Waiting for approval",
      }
    `);
  });

  it("renders a succeeded promotion", () => {
    const card = approvalCard({
      promotion: storedPromotion({
        status: "succeeded",
        deploymentId: 145988746,
        rev: 4,
      }),
      approvedBy: ["U0000002", "U0000003"],
    });

    expect(card).toMatchInlineSnapshot(`
      {
        "blocks": [
          {
            "text": {
              "text": "Promotion: churn 42 → staging",
              "type": "plain_text",
            },
            "type": "header",
          },
          {
            "fields": [
              {
                "text": "*Model:*
      churn",
                "type": "mrkdwn",
              },
              {
                "text": "*Version:*
      42",
                "type": "mrkdwn",
              },
              {
                "text": "*Environment:*
      staging",
                "type": "mrkdwn",
              },
              {
                "text": "*Requested by:*
      <@U0000001>",
                "type": "mrkdwn",
              },
              {
                "text": "*Approvals:*
      2 of 2 (<@U0000002>, <@U0000003>)",
                "type": "mrkdwn",
              },
              {
                "text": "*Status:*
      :large_green_circle: Succeeded",
                "type": "mrkdwn",
              },
              {
                "text": "*Deployment:*
      145988746",
                "type": "mrkdwn",
              },
            ],
            "type": "section",
          },
          {
            "text": {
              "text": "*Metrics:* v42 against v41, live in staging
      \`\`\`metric                            v42   v41 (live)     change
      accuracy                       0.9340       0.9100   +0.02400\`\`\`",
              "type": "mrkdwn",
            },
            "type": "section",
          },
          {
            "elements": [
              {
                "text": "prm_lx7k2m9a0b1c2d3e4f · example-user/Hello-World · registry model \`churn-model\`",
                "type": "mrkdwn",
              },
            ],
            "type": "context",
          },
        ],
        "text": "Promotion churn 42 → staging: :large_green_circle: Succeeded",
      }
    `);
  });

  it("shows the rejection reason without buttons", () => {
    const card = approvalCard({
      promotion: storedPromotion({
        status: "rejected",
        reason: "Latency <p99> regressed & canary errors",
      }),
      approvedBy: [],
    });

    const texts = textsWithLimits(card.blocks).map(([text]) => text);
    expect(texts).toContain(
      "*Reason:* Latency &lt;p99&gt; regressed &amp; canary errors",
    );
    expect(card.blocks.some((block) => block.type === "actions")).toBe(false);
    expect(card.text).toBe("Promotion churn 42 → staging: :no_entry: Rejected");
  });

  it("escapes mrkdwn control characters", () => {
    const card = approvalCard({
      promotion: storedPromotion({ modelName: "<!channel>", version: "a&b" }),
      approvedBy: [],
    });

    const mrkdwn = textsWithLimits(card.blocks.slice(1)).map(([text]) => text);
    expect(mrkdwn).toContain("*Model:*\n&lt;!channel&gt;");
    expect(mrkdwn).toContain("*Version:*\na&amp;b");
    expect(mrkdwn.join("\n")).not.toContain("<!channel>");
  });

  it("keeps Block Kit limits for huge input", () => {
    const metrics = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [
        `metric_${i}_${"долгое_имя_📈".repeat(6)}`,
        i / 7,
      ]),
    );
    const promotion = storedPromotion({
      modelName: `churn-${"模型🚀".repeat(400)}`,
      version: `42-${"ü".repeat(500)}`,
      environment: `production-${"é".repeat(200)}`,
      registryName: `registry-${"x".repeat(3000)}`,
      requestedBy: `U${"9".repeat(3000)}`,
      status: "pending_approval",
      reason: `${"Ünïcödé 😀 reason ".repeat(500)}`.slice(0, 10_000),
      metrics,
      championVersion: "41".repeat(300),
      championMetrics: metrics,
      deploymentId: 145988746,
    });
    const approvedBy = Array.from({ length: 60 }, (_, i) => `U${1000000 + i}`);

    const card = approvalCard({ promotion, approvedBy });

    expect(card.blocks.length).toBeLessThanOrEqual(LIMITS.blocksPerMessage);
    expect(length(card.text)).toBeLessThanOrEqual(LIMITS.messageText);
    for (const block of card.blocks) {
      if (block.type === "section")
        expect(block.fields?.length ?? 0).toBeLessThanOrEqual(
          LIMITS.fieldsPerSection,
        );
      if (block.type === "context")
        expect(block.elements.length).toBeLessThanOrEqual(
          LIMITS.contextElements,
        );
    }
    const texts = textsWithLimits(card.blocks);
    expect(texts.length).toBeGreaterThan(8);
    for (const [text, limit] of texts) {
      expect(length(text)).toBeLessThanOrEqual(limit);
      expect(text.length).toBeGreaterThan(0);
      expect(wellFormed(text)).toBe(true);
    }
  });

  it("truncates the header at 150 characters", () => {
    const card = approvalCard({
      promotion: storedPromotion({ modelName: "😀".repeat(300) }),
      approvedBy: [],
    });

    const header = card.blocks[0];
    expect(header?.type).toBe("header");
    const text = header?.type === "header" ? header.text.text : "";
    expect(length(text)).toBe(LIMITS.headerText);
    expect(text.endsWith("😀…")).toBe(true);
    expect(wellFormed(text)).toBe(true);
  });

  it("summarises 200 metrics in one table", () => {
    const metrics = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [
        `m${String(i).padStart(3, "0")}`,
        i,
      ]),
    );

    const card = approvalCard({
      promotion: storedPromotion({ metrics, championMetrics: {} }),
      approvedBy: [],
    });

    const table = textsWithLimits(card.blocks)
      .map(([text]) => text)
      .find((text) => text.startsWith("*Metrics:*"));
    expect(table).toContain("m024");
    expect(table).not.toContain("m025");
    expect(table).toContain("_175 more metrics not shown._");
    expect(table?.split("```")).toHaveLength(3);
  });
});
