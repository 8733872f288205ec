import type { AuditEvent } from "../src/audit/audit-event.js";
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

/** Maximum length of a reason on an audit line, in characters. */
const REASON_WIDTH = 200;

/**
 * Builds the /gantry audit reply: a model's newest audit events, newest
 * first, each with who, what, when, why and the version.
 */
export function auditLog(params: {
  modelKey: string;
  modelName: string;
  events: readonly AuditEvent[];
}): CommandReply {
  const title = `Audit: ${params.modelName}`;
  if (params.events.length === 0) {
    return commandReply(`${params.modelName} has no audit events yet.`, [
      headerBlock(title),
      contextBlock(`${escapeMrkdwn(params.modelKey)} has no audit events yet.`),
    ]);
  }

  return commandReply(`Recent audit events of ${params.modelName}`, [
    headerBlock(title),
    ...lineSections(params.events.map(auditLine)),
    contextBlock(
      `${params.events.length} most recent, newest first · \`GET /audit/export\` returns them all as JSON lines`,
    ),
  ]);
}

function auditLine(event: AuditEvent): string {
  const when = timeText(event.at);
  const subject = [
    event.version ? `version *${escapeMrkdwn(event.version)}*` : "",
    event.environment ? `\`${escapeMrkdwn(event.environment)}\`` : "",
    event.promotion ? `(${escapeMrkdwn(event.promotion)})` : "",
  ]
    .filter(Boolean)
    .join(" ");
  const reason = event.reason
    ? ` · _${escapeMrkdwn(truncate(event.reason, REASON_WIDTH))}_`
    : "";
  return `• ${when} · ${actorName(event.actor)} ${describeAction(event)} ${subject}${reason}`;
}

/** Describes what an audit event records, in words. */
export function describeAction(event: AuditEvent): string {
  const until = event.fields.until
    ? ` until ${timeText(event.fields.until)}`
    : "";
  const holder = event.fields.holder
    ? ` held by ${actorName(event.fields.holder)}`
    : "";
  switch (event.action) {
    case "created":
      return "requested";
    case "approval":
      return "approved";
    case "transition":
      return `moved ${escapeMrkdwn(event.from)} → ${escapeMrkdwn(event.to)}:`;
    case "approvals_voided":
      return "voided the approvals of";
    case "lock":
      return `locked${until}`;
    case "lock_extended":
      return `extended the lock${until} on`;
    case "unlock":
      return `released the lock${holder} on`;
    case "lock_expired":
      return `saw the lock${holder} expire on`;
    case "freeze":
      return `froze${until}`;
    case "unfreeze":
      return "lifted the freeze on";
    case "freeze_break":
      return "broke the freeze for";
    default:
      return escapeMrkdwn(event.action);
  }
}

function timeText(iso: string): string {
  if (Number.isNaN(Date.parse(iso))) return escapeMrkdwn(iso);
  return slackTime(new Date(iso));
}
