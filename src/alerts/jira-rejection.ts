import { createHash } from "node:crypto";
import type { JiraRequestError } from "../clients/jira-errors.js";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";
import { jiraRejectedNotice } from "../../templates/alert-jira-rejected.js";
import type { AlertContext } from "./alert-context.js";

/** The same rejection is posted to Slack at most once in this period. */
const NOTICE_PERIOD_SECONDS = 86_400;

/**
 * Logs a ticket that Jira rejected (a 4xx other than 429, such as a
 * required custom field) with Jira's field errors, and posts them to the
 * model's alerts channel once a day per project and error.
 */
export async function reportJiraRejection(
  services: Services,
  context: AlertContext,
  error: JiraRequestError,
): Promise<void> {
  const { subject, entry } = context;
  const project = entry?.jira?.project ?? "unknown";
  const issueType =
    subject.alertClass === "critical"
      ? (entry?.jira?.critical_type ?? "issue")
      : (entry?.jira?.drift_type ?? "issue");

  services.log.error(
    {
      err: error,
      status: error.status,
      jiraProject: project,
      errorMessages: error.errorMessages,
      fieldErrors: error.fieldErrors,
    },
    "jira rejected the alert's ticket; not retried",
  );

  const channel = entry?.alertsChannel;
  if (!channel) return;
  const signature = createHash("sha256")
    .update(
      JSON.stringify([
        project,
        issueType,
        error.status,
        error.errorMessages,
        Object.entries(error.fieldErrors).sort(),
      ]),
    )
    .digest("hex")
    .slice(0, 24);
  const first = await services.redis.set(
    keys.once("jira-rejected", signature),
    "1",
    "EX",
    NOTICE_PERIOD_SECONDS,
    "NX",
  );
  if (first !== "OK") return;

  try {
    await services.slack.chat.postMessage({
      channel,
      ...jiraRejectedNotice({
        alertname: subject.alert.labels.alertname ?? "unnamed alert",
        model: subject.model,
        project,
        issueType,
        status: error.status,
        errorMessages: error.errorMessages,
        fieldErrors: error.fieldErrors,
      }),
      unfurl_links: false,
    });
  } catch (slackError) {
    // Let the next rejection try again, and keep the job's own outcome.
    await services.redis.del(keys.once("jira-rejected", signature));
    services.log.warn(
      { err: slackError, channel },
      "jira rejection notice could not be posted",
    );
  }
}
