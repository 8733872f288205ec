import {
  alertLinks,
  alertName,
  classTitle,
  senderName,
  type AlertSubject,
} from "./alert-names.js";
import { escapeWiki, labelLines, noformat, wikiLink } from "./jira-markup.js";

/** Jira's maximum summary length. */
const SUMMARY_MAX = 255;

/**
 * Builds a ticket's summary and description (wiki markup): the alert, the
 * model and environment, its labels, annotations and links, and what
 * Gantry does with later firings.
 */
export function alertTicket(subject: AlertSubject): {
  summary: string;
  description: string;
} {
  const { alert } = subject;
  const environment = alert.labels.environment;
  const where = environment ? ` (${environment})` : "";
  const summary = `${classTitle(subject.alertClass)}: ${alertName(alert)} on ${subject.model}${where}`;

  const sections = [
    `h3. ${escapeWiki(summary)}`,
    ...annotationText(subject),
    detailsTable(subject),
    linkList(subject),
    `h4. Labels\n${noformat(labelLines(alert.labels))}`,
    `h4. Annotations\n${noformat(labelLines(alert.annotations))}`,
    `_Opened by Gantry. While this ticket is open, later firings of the alert with fingerprint ${alert.fingerprint} add comments here instead of new tickets._`,
  ];
  return {
    summary: Array.from(summary).slice(0, SUMMARY_MAX).join(""),
    description: sections.join("\n\n"),
  };
}

function annotationText({ alert }: AlertSubject): string[] {
  return [alert.annotations.summary, alert.annotations.description]
    .filter((text): text is string => Boolean(text))
    .map(escapeWiki);
}

function detailsTable(subject: AlertSubject): string {
  const { alert } = subject;
  const model = subject.modelKey
    ? `${subject.model} (${subject.modelKey})`
    : `${subject.model} (not configured in any repository)`;
  const rows: [string, string][] = [
    ["Model", model],
    ["Environment", alert.labels.environment ?? "not given"],
    ["Alert", alertName(alert)],
    ["Class", subject.alertClass],
    ["Started", alert.startsAt],
    ["Fingerprint", alert.fingerprint],
    ["Sent by", senderName(alert)],
  ];
  return rows
    .map(([name, value]) => `||${name}|${escapeWiki(value)}|`)
    .join("\n");
}

function linkList({ alert }: AlertSubject): string {
  const links = alertLinks(alert);
  if (links.length === 0) return "h4. Links\nNone given.";
  return `h4. Links\n${links.map((link) => `* ${wikiLink(link.title, link.url)}`).join("\n")}`;
}
