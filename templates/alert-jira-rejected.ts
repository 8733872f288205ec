import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";

/** Builds the Slack notice that Jira rejected an alert's ticket and Gantry will not retry it. */
export function jiraRejectedNotice(params: {
  alertname: string;
  model: string;
  project: string;
  issueType: string;
  status: number | undefined;
  errorMessages: readonly string[];
  fieldErrors: Record<string, string>;
}): { text: string } {
  const reasons = [
    ...params.errorMessages,
    ...Object.entries(params.fieldErrors).map(
      ([field, message]) => `\`${field}\`: ${message}`,
    ),
  ];
  const list =
    reasons.length > 0
      ? reasons.map((reason) => `• ${escapeMrkdwn(reason)}`).join("\n")
      : "• Jira gave no reason.";

  const text = [
    `:warning: Jira rejected the ${escapeMrkdwn(params.issueType)} for alert ${escapeMrkdwn(params.alertname)} on ${escapeMrkdwn(params.model)} in project ${escapeMrkdwn(params.project)} (HTTP ${params.status ?? "error"}):`,
    list,
    "Gantry does not retry a rejected ticket. Make the listed fields optional for this issue type, or change `jira` in `.github/gantry.yml`; alerts that fire after that open tickets again. This notice is posted once a day per error.",
  ].join("\n");
  return { text: truncate(text, LIMITS.sectionText) };
}
