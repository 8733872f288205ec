import { formatDuration } from "../src/config/duration.js";
import type { ReceivedAlert } from "../src/alerts/received-alert.js";
import { alertName } from "./alert-names.js";
import { escapeWiki, wikiLink } from "./jira-markup.js";

export type AlertCommentEvent =
  | { kind: "fired_again" }
  | { kind: "reopened"; reopenWindowMs: number }
  | { kind: "closed_recently"; reopenWindowMs: number }
  | { kind: "resolved" };

/** Builds the comment (wiki markup) that Gantry adds to a ticket when its alert changes. */
export function alertComment(
  alert: ReceivedAlert,
  event: AlertCommentEvent,
): string {
  const name = escapeWiki(alertName(alert));
  const source = alert.links.source
    ? ` ${wikiLink("Source", alert.links.source)}`
    : "";
  const summary = alert.annotations.summary
    ? `\n\n${escapeWiki(alert.annotations.summary)}`
    : "";

  switch (event.kind) {
    case "fired_again":
      return `Alert ${name} fired again at ${alert.startsAt}.${source}${summary}`;
    case "reopened":
      return `Gantry reopened this ticket: alert ${name} fired again at ${alert.startsAt}, within ${formatDuration(event.reopenWindowMs)} of the ticket being closed.${source}${summary}`;
    case "closed_recently":
      return `Alert ${name} fired again at ${alert.startsAt}, within ${formatDuration(event.reopenWindowMs)} of this ticket being closed. The workflow offers no transition back to an open status, so Gantry left the ticket closed; reopen it if the problem is back.${source}${summary}`;
    case "resolved":
      return `Alert ${name} resolved at ${alert.endsAt ?? "an unknown time"} (it fired since ${alert.startsAt}).${source}`;
  }
}
