import type { Promotion } from "../src/promotion.js";
import {
  canaryNoteText,
  isCanaryEvent,
  type CanaryEvent,
} from "./canary-notes.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";
import {
  isRollbackEvent,
  rollbackNoteText,
  type RollbackEvent,
} from "./rollback-notes.js";

/** What happened to a promotion, for a line in its card's thread. */
export type ProgressEvent =
  | { kind: "approval"; user: string; count: number; required: number }
  | { kind: "approved" }
  | { kind: "rejected"; user: string; reason: string }
  | { kind: "deployment_created"; deploymentId: number; sha: string }
  | {
      kind: "deployment_status";
      state: string;
      description: string | undefined;
      logUrl: string | undefined;
    }
  | { kind: "alias_moved"; alias: string }
  | { kind: "failed"; reason: string }
  | { kind: "approvals_voided"; reason: string }
  | CanaryEvent
  | RollbackEvent;

/** Renders one progress event as the text of a thread reply. */
export function progressNote(
  promotion: Promotion,
  event: ProgressEvent,
): string {
  return truncate(noteText(promotion, event), LIMITS.sectionText);
}

function noteText(promotion: Promotion, event: ProgressEvent): string {
  if (isCanaryEvent(event)) return canaryNoteText(promotion, event);
  if (isRollbackEvent(event)) return rollbackNoteText(promotion, event);
  const subject = `${escapeMrkdwn(promotion.modelName)} ${escapeMrkdwn(promotion.version)}`;
  switch (event.kind) {
    case "approval":
      return `:ballot_box_with_check: <@${event.user}> approved (${event.count} of ${event.required}).`;
    case "approved":
      return `:white_check_mark: ${subject} is approved for ${escapeMrkdwn(promotion.environment)}; queued for deployment.`;
    case "rejected":
      return `:no_entry: <@${event.user}> rejected ${subject}: ${escapeMrkdwn(event.reason)}`;
    case "deployment_created":
      return `:rocket: Created deployment ${event.deploymentId} of ${subject} to ${escapeMrkdwn(promotion.environment)} at \`${event.sha.slice(0, 7)}\`.`;
    case "deployment_status": {
      const description = event.description
        ? `: ${escapeMrkdwn(event.description)}`
        : "";
      const link = event.logUrl ? ` <${event.logUrl}|logs>` : "";
      return `:satellite: Deployment ${promotion.deploymentId ?? ""} is ${escapeMrkdwn(event.state)}${description}.${link}`;
    }
    case "alias_moved":
      return `:label: Registry alias \`${escapeMrkdwn(event.alias)}\` of \`${escapeMrkdwn(promotion.registryName)}\` now points to version ${escapeMrkdwn(promotion.version)}.`;
    case "approvals_voided":
      return `:warning: ${escapeMrkdwn(event.reason)}`;
    case "failed":
      return `:red_circle: ${subject} failed: ${escapeMrkdwn(event.reason)}`;
  }
}
