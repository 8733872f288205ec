import type { Promotion } from "../src/promotion.js";
import { escapeMrkdwn } from "./limits.js";

/** A rollback's effect on the promotion it replaced, for a line in that card's thread. */
export type RollbackEvent =
  | {
      kind: "rolling_back";
      rollbackId: string;
      version: string;
      reason: string;
    }
  | { kind: "nothing_to_roll_back"; reason: string }
  | { kind: "rollback_done"; rollbackId: string; version: string }
  | { kind: "incident_opened"; key: string; url: string };

const ROLLBACK_KINDS = new Set<string>([
  "rolling_back",
  "nothing_to_roll_back",
  "rollback_done",
  "incident_opened",
]);

export function isRollbackEvent(event: {
  kind: string;
}): event is RollbackEvent {
  return ROLLBACK_KINDS.has(event.kind);
}

/** Renders a rollback event as the text of a thread reply. */
export function rollbackNoteText(
  promotion: Promotion,
  event: RollbackEvent,
): string {
  const environment = escapeMrkdwn(promotion.environment);
  switch (event.kind) {
    case "rolling_back":
      return `:leftwards_arrow_with_hook: Rolling back ${environment} to version ${escapeMrkdwn(event.version)} (${event.rollbackId}): ${escapeMrkdwn(event.reason)}. Automation promotes nothing into ${environment} until someone promotes by hand.`;
    case "nothing_to_roll_back":
      return `:warning: ${escapeMrkdwn(event.reason)}. No earlier version succeeded in ${environment}, so there is nothing to roll back to; undo the deployment with your deploy workflow.`;
    case "rollback_done":
      return `:label: Version ${escapeMrkdwn(event.version)} runs in ${environment} again (${event.rollbackId}), and the registry alias \`${environment}\` of \`${escapeMrkdwn(promotion.registryName)}\` points to it.`;
    case "incident_opened":
      return `:ticket: Opened the incident ticket <${event.url}|${escapeMrkdwn(event.key)}> for this rollback.`;
  }
}
