import type { KnownBlock } from "@slack/types";
import { formatApprovers } from "../src/approver-policy.js";
import type { PromotionPlan } from "../src/promotions/plan-promotion.js";
import type { SlackMessage } from "./approval-card.js";
import { blockersText } from "./blockers.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";

/** Renders a promotion's plan: nothing in it has been queued. */
export function planMessage(plan: PromotionPlan): SlackMessage {
  const title = `Plan: ${plan.modelName} ${plan.version} → ${plan.environment}`;
  const lines = [
    aliasLine(plan),
    rolloutLine(plan),
    approvalLine(plan),
    plan.gates.length > 0
      ? `*Gates:*\n${gateLines(plan)}`
      : "*Gates:* none configured",
  ];
  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(title, LIMITS.headerText) },
    },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(lines.join("\n"), LIMITS.sectionText),
      },
    },
  ];
  if (plan.blockers.length > 0) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(
          `*Blocked now:*\n${blockersText(plan.blockers)}`,
          LIMITS.sectionText,
        ),
      },
    });
  }
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: "Nothing was queued. Run /promote without --plan to request it.",
      },
    ],
  });
  return { text: truncate(title, LIMITS.messageText), blocks };
}

function aliasLine(plan: PromotionPlan): string {
  if (!plan.versionFound) {
    return `:warning: Version ${escapeMrkdwn(plan.version)} was not found in the registry (MLflow model \`${escapeMrkdwn(plan.registryName)}\`).`;
  }
  const from = plan.champion
    ? `from version ${escapeMrkdwn(plan.champion.version)} `
    : "";
  return `*Registry:* alias \`${escapeMrkdwn(plan.environment)}\` of \`${escapeMrkdwn(plan.registryName)}\` moves ${from}to version ${escapeMrkdwn(plan.version)} after success.`;
}

function rolloutLine(plan: PromotionPlan): string {
  if (!plan.canary || plan.canary.length === 0)
    return "*Rollout:* one deployment at 100 % traffic.";
  const bake = plan.bake ? `, each baked for ${escapeMrkdwn(plan.bake)}` : "";
  return `*Rollout:* canary steps ${plan.canary.map((step) => `${step} %`).join(" → ")}${bake}.`;
}

function approvalLine(plan: PromotionPlan): string {
  if (plan.approvals === 0) return "*Approvals:* none needed.";
  const group = plan.requiredGroup
    ? `, at least one from <!subteam^${plan.requiredGroup}>`
    : "";
  const timeout = plan.approvalTimeout
    ? `; expires after ${escapeMrkdwn(plan.approvalTimeout)}`
    : "";
  return `*Approvals:* ${plan.approvals} from ${formatApprovers(plan.approvers)}${group}, not the requester${timeout}.`;
}

function gateLines(plan: PromotionPlan): string {
  return plan.gates
    .slice(0, 30)
    .map((gate) => {
      const value =
        gate.value === undefined ? "not logged" : String(gate.value);
      return `${gate.passed ? ":white_check_mark:" : ":x:"} ${escapeMrkdwn(gate.metric)} ${escapeMrkdwn(gate.expression)} (${value})`;
    })
    .join("\n");
}
