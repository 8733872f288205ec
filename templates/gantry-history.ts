import type { HistoryItem } from "../src/queries/promotion-history.js";
import {
  actorName,
  commandReply,
  contextBlock,
  headerBlock,
  lineSections,
  slackTime,
  type CommandReply,
} from "./command-reply.js";
import { escapeMrkdwn, truncate } from "./limits.js";
import { statusLabel } from "./status-label.js";

/** Maximum length of a reason on a history line, in characters. */
const REASON_WIDTH = 200;

/**
 * Builds the /gantry history reply: a model's recent promotions, newest
 * first, with who requested and who approved each.
 */
export function gantryHistory(params: {
  modelKey: string;
  modelName: string;
  environment: string | undefined;
  items: readonly HistoryItem[];
}): CommandReply {
  const where = params.environment ? ` to ${params.environment}` : "";
  const title = `History: ${params.modelName}${where}`;
  if (params.items.length === 0) {
    return commandReply(`${params.modelName} has no promotions${where} yet.`, [
      headerBlock(title),
      contextBlock(
        `${escapeMrkdwn(params.modelKey)} has no promotions${escapeMrkdwn(where)} yet.`,
      ),
    ]);
  }

  return commandReply(`Recent promotions of ${params.modelName}${where}`, [
    headerBlock(title),
    ...lineSections(params.items.map(historyLine)),
    contextBlock(
      `${params.items.length} most recent, newest first · ${escapeMrkdwn(params.modelKey)}`,
    ),
  ]);
}

function historyLine({ promotion, approvedBy }: HistoryItem): string {
  const approvals =
    approvedBy.length === 0
      ? "no approvals"
      : `approved by ${approvedBy.map(actorName).join(", ")}`;
  const reason = promotion.reason
    ? `\n    _${escapeMrkdwn(truncate(promotion.reason, REASON_WIDTH))}_`
    : "";
  return `• ${slackTime(new Date(promotion.createdAt))} · *${escapeMrkdwn(promotion.version)}* → \`${escapeMrkdwn(promotion.environment)}\` · ${statusLabel(promotion.status)} · requested by ${actorName(promotion.requestedBy)} · ${approvals} (${promotion.id})${reason}`;
}
