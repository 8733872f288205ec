import type { KnownBlock } from "@slack/types";
import type { Promotion } from "../src/promotion.js";
import {
  cancelButton,
  canaryProgressText,
  pausedButtons,
  queueText,
  type QueuePlace,
} from "./canary-progress.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";
import { metricsTable } from "./metrics-table.js";
import { statusLabel } from "./status-label.js";

export const APPROVE_ACTION = "promotion_approve";
export const REJECT_ACTION = "promotion_reject";
export const PREVIEW_ACTION = "promotion_preview";

export type ApprovalCardInput = {
  promotion: Promotion;
  approvedBy: readonly string[];
  /** Set while the approved promotion waits behind the active one. */
  queue?: QueuePlace;
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
  queue,
}: ApprovalCardInput): SlackMessage {
  const rollback = promotion.kind === "rollback";
  const title = rollback
    ? `${promotion.modelName} ${promotion.environment} → ${promotion.version}`
    : `${promotion.modelName} ${promotion.version} → ${promotion.environment}`;
  const kind = rollback ? "Rollback" : "Promotion";
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: {
        type: "plain_text",
        text: truncate(`${kind}: ${title}`, LIMITS.headerText),
      },
    },
    { type: "section", fields: detailFields(promotion, approvedBy) },
    section(rollback ? rollbackText(promotion) : metricsTable(promotion)),
  ];

  const progress = canaryProgressText(promotion);
  if (progress) blocks.push(section(progress));
  const outcome = outcomeText(promotion);
  if (outcome) blocks.push(section(outcome));
  if (promotion.status === "pending_approval") {
    blocks.push(actionButtons(promotion.id));
  }
  if (promotion.status === "canary" && promotion.stepPhase === "paused") {
    blocks.push(pausedButtons(promotion));
  }
  if (queue && promotion.status === "approved") {
    blocks.push(section(queueText(queue)), cancelButton(promotion.id));
  }

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
      `${kind} ${title}: ${statusLabel(promotion.status)}`,
      LIMITS.messageText,
    ),
    blocks,
  };
}

function section(text: string): KnownBlock {
  return {
    type: "section",
    text: { type: "mrkdwn", text: truncate(text, LIMITS.sectionText) },
  };
}

/** Says what a rollback replaces; a rollback's card shows no metrics table. */
function rollbackText(promotion: Promotion): string {
  const from = promotion.championVersion
    ? `version ${escapeMrkdwn(promotion.championVersion)}`
    : "the version there now";
  const replaced = promotion.rollbackOf
    ? ` (promotion ${escapeMrkdwn(promotion.rollbackOf)})`
    : "";
  return `*Rolls back* ${from}${replaced} in ${escapeMrkdwn(promotion.environment)} to version ${escapeMrkdwn(promotion.version)}, the last version that succeeded there before it. A rollback needs no approval and skips the soak time.`;
}

function detailFields(promotion: Promotion, approvedBy: readonly string[]) {
  const approvals = approvalSummary(promotion, approvedBy);
  const fields = [
    `*Model:*\n${escapeMrkdwn(promotion.modelName)}`,
    `*Version:*\n${escapeMrkdwn(promotion.version)}`,
    `*Environment:*\n${escapeMrkdwn(promotion.environment)}`,
    `*Requested by:*\n${requester(promotion.requestedBy)}`,
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

/** Explains how the promotion ended, or what is still open, in a sentence. */
function outcomeText(promotion: Promotion): string | undefined {
  const reason = promotion.reason ? escapeMrkdwn(promotion.reason) : "";
  if (promotion.supersededBy) {
    return `:arrows_counterclockwise: *Superseded* by ${escapeMrkdwn(promotion.supersededBy)}: ${reason}`;
  }
  if (promotion.status === "expired") {
    return `:alarm_clock: *Expired:* no decision before the approval timeout.`;
  }
  if (promotion.status === "pending_approval" && promotion.reason) {
    return `:warning: ${reason}`;
  }
  if (promotion.status === "pending_approval" && promotion.expiresAt) {
    return `Approval closes at ${escapeMrkdwn(promotion.expiresAt)}.`;
  }
  return reason ? `*Reason:* ${reason}` : undefined;
}

/** Mentions a Slack user, or names a GitHub user for a protection rule, or Gantry itself. */
function requester(id: string): string {
  if (id === "gantry") return "Gantry (automation)";
  return id.startsWith("github:")
    ? `GitHub user ${escapeMrkdwn(id.slice(7))}`
    : `<@${id}>`;
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
  const group =
    promotion.status === "pending_approval" && promotion.requiredGroup
      ? `, one from <!subteam^${promotion.requiredGroup}> required`
      : "";
  return who
    ? `${count}${pending}${group} (${who})`
    : `${count}${pending}${group}`;
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
        action_id: PREVIEW_ACTION,
        text: { type: "plain_text", text: "Preview" },
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
