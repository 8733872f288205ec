import type { ModelEntry } from "../config/config-registry.js";
import type { Services } from "../services.js";
import { alertComment } from "../../templates/jira-alert-comment.js";
import type { AlertContext } from "./alert-context.js";
import { fingerprintLabel } from "./alert-ticket.js";
import {
  readAlertState,
  updateAlertState,
  type AlertState,
} from "./alert-state.js";
import { clearCriticalAlert } from "./critical-alerts.js";
import { updateResolvedPost } from "./critical-post.js";
import { withFingerprintLock } from "./fingerprint-lock.js";

/**
 * Handles a resolved alert on a configured model once per firing.
 *
 * Steps, under the fingerprint's lock:
 * 1. find the firing's ticket, or the open ticket with the fingerprint label,
 * 2. update the firing's Slack post,
 * 3. comment on the ticket,
 * 4. drop the critical alert from the model's record,
 * 5. record the resolution, so a redelivery does nothing.
 */
export async function handleResolvedAlert(
  services: Services,
  context: AlertContext & { entry: ModelEntry },
): Promise<void> {
  const { alert } = context.subject;

  await withFingerprintLock(services.redis, alert.fingerprint, async () => {
    const state = await readAlertState(services.redis, alert.fingerprint);
    if (state.resolvedFiring === alert.startsAt) return;

    // chat.update can repeat harmlessly, so it goes before the comment,
    // which a retry after a failure further on would add twice.
    const ticket = await findFiringTicket(services, context, state);
    await updateResolvedPost(services, context, state, ticket);
    if (ticket && services.jira) {
      await services.jira.addComment(
        ticket,
        alertComment(alert, { kind: "resolved" }),
      );
    }
    await clearCriticalAlert(
      services.redis,
      context.entry.key,
      alert.fingerprint,
    );
    await updateAlertState(services.redis, alert.fingerprint, {
      resolvedFiring: alert.startsAt,
    });
    services.log.info({ jiraKey: ticket }, "alert resolved");
  });
}

async function findFiringTicket(
  services: Services,
  context: AlertContext & { entry: ModelEntry },
  state: AlertState,
): Promise<string | undefined> {
  const { alert } = context.subject;
  if (state.ticket && state.ticketFiring === alert.startsAt)
    return state.ticket;

  // A ticket from an earlier firing may be long closed. So a firing that
  // Gantry did not see start is reported only on an open ticket.
  const jiraConfig = context.entry.jira;
  if (!services.jira || !jiraConfig) return undefined;
  const open = await services.jira.findOpenIssueByLabel(
    jiraConfig.project,
    fingerprintLabel(alert.fingerprint),
  );
  return open?.key;
}
