import { JiraRequestError } from "../src/clients/jira-errors.js";
import { secretValues } from "../src/config/env.js";
import { secretScrubber } from "../src/logger.js";
import { resolveAlertContext } from "../src/alerts/alert-context.js";
import { handleFiringAlert } from "../src/alerts/firing-alert.js";
import { reportJiraRejection } from "../src/alerts/jira-rejection.js";
import type { ReceivedAlert } from "../src/alerts/received-alert.js";
import { handleResolvedAlert } from "../src/alerts/resolved-alert.js";
import type { JobDefinition } from "../src/queues.js";

/** One alert's change to firing or resolved, as a webhook delivered it. */
export type AlertEventData = { alert: ReceivedAlert; receivedAt: string };

/**
 * Acts on one alert: classifies it with its model's repository rules, then
 * opens or updates its ticket, posts critical alerts and requests drift
 * retraining, or handles its resolution. The job id comes from the
 * fingerprint, status and startsAt, so a redelivered webhook acts once.
 */
export const alertEventJob: JobDefinition<AlertEventData> = {
  queue: "{alerts}",
  options: {},

  async process(data, services) {
    // Labels and annotations come from outside; a configured secret in them
    // must not reach a ticket or a Slack post.
    const alert = secretScrubber(secretValues(services.settings))(
      data.alert,
    ) as ReceivedAlert;
    const context = await resolveAlertContext(services.registry, alert);
    const { subject, entry } = context;
    const log = services.log.child({
      fingerprint: alert.fingerprint,
      alertname: alert.labels.alertname,
      model: subject.modelKey ?? subject.model,
      alertClass: subject.alertClass,
      status: alert.status,
    });
    const scoped = { ...services, log };

    if (!entry) {
      log.warn("alert ignored: its model label names no configured model");
      return;
    }
    if (subject.alertClass === "other") {
      log.info("alert ignored: classified other");
      return;
    }
    if (alert.status === "resolved")
      return handleResolvedAlert(scoped, { subject, entry });
    return handleFiringAlert(scoped, { subject, entry });
  },

  async giveUp(data, error, services) {
    const context = await resolveAlertContext(services.registry, data.alert);
    if (error instanceof JiraRequestError && !error.retryable) {
      await reportJiraRejection(services, context, error);
      return;
    }
    services.log.error(
      {
        err: error,
        fingerprint: data.alert.fingerprint,
        model: context.subject.modelKey,
      },
      "alert could not be handled",
    );
  },
};
