import type { KnownBlock } from "@slack/types";
import type { Promotion } from "../src/promotion.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";
import { metricsTable } from "./metrics-table.js";
import { statusLabel } from "./status-label.js";

export const APPROVE_ACTION = "promotion_approve";
export const REJECT_ACTION = "promotion_reject";

export type ApprovalCardInput = {
  promotion: Promotion;
  approvedBy: readonly string[];
};

export type SlackMessage = { text: string; blocks: KnownBlock[] };

/**
 * Builds the promotion's card: what is promoted where, its metrics beside
 * the live version's, who asked, the approvals still needed, and the
 * buttons while approval is open. The same card is re-rendered in place as
 * the promotion moves on.
 */
export function approvalCard({
  promotion,
  approvedBy,
}: ApprovalCardInput): SlackMessage {
  const title = `${promotion.modelName} ${promotion.version} → ${promotion.environment}`;
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: truncate(`Promotion: ${title}`, LIMITS.headerText),
      },
    },
    { type: "section", fields: detailFields(promotion, approvedBy) },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(metricsTable(promotion), LIMITS.sectionText),
      },
    },
  ];

  if (promotion.reason) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `*Reason:* ${escapeMrkdwn(promotion.reason)}`,
          LIMITS.sectionText,
        ),
      },
    });
  }
  if (promotion.status === "pending_approval")
    blocks.push(actionButtons(promotion.id));

  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: truncate(
          `${promotion.id} · ${escapeMrkdwn(promotion.repo)} · registry model \`${escapeMrkdwn(promotion.registryName)}\``,
          LIMITS.fieldText,
        ),
      },
    ],
  });

  return {
    text: truncate(
      `Promotion ${title}: ${statusLabel(promotion.status)}`,
      LIMITS.messageText,
    ),
    blocks,
  };
}

function detailFields(promotion: Promotion, approvedBy: readonly string[]) {
  const approvals = approvalSummary(promotion, approvedBy);
  const fields = [
    `*Model:*\n${escapeMrkdwn(promotion.modelName)}`,
    `*Version:*\n${escapeMrkdwn(promotion.version)}`,
    `*Environment:*\n${escapeMrkdwn(promotion.environment)}`,
    `*Requested by:*\n<@${promotion.requestedBy}>`,
    `*Approvals:*\n${approvals}`,
    `*Status:*\n${statusLabel(promotion.status)}`,
  ];
  if (promotion.deploymentId !== undefined)
    fields.push(`*Deployment:*\n${promotion.deploymentId}`);

  return fields.slice(0, LIMITS.fieldsPerSection).map((text) => ({
    type: "mrkdwn" as const,
    text: truncate(text, LIMITS.fieldText),
  }));
}

function approvalSummary(
  promotion: Promotion,
  approvedBy: readonly string[],
): string {
  const count = `${approvedBy.length} of ${promotion.requiredApprovals}`;
  const who = approvedBy.map((user) => `<@${user}>`).join(", ");
  const still = Math.max(0, promotion.requiredApprovals - approvedBy.length);
  const pending =
    promotion.status === "pending_approval" && still > 0
      ? `, ${still} more needed`
      : "";
  return who ? `${count}${pending} (${who})` : `${count}${pending}`;
}

function actionButtons(promotionId: string): KnownBlock {
  return {
    type: "actions",
    block_id: "promotion_actions",
    elements: [
      {
        type: "button",
        action_id: APPROVE_ACTION,
        style: "primary",
        text: { type: "plain_text", text: "Approve" },
        value: promotionId,
      },
      {
        type: "button",
        action_id: REJECT_ACTION,
        style: "danger",
        text: { type: "plain_text", text: "Reject" },
        value: promotionId,
      },
    ],
  };
}
