import type { KnownBlock } from "@slack/types";
import {
  alertLinks,
  alertName,
  senderName,
  type AlertSubject,
} from "./alert-names.js";
import type { SlackMessage } from "./approval-card.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";

export const ALERT_ROLLBACK_ACTION = "alert_rollback";

/** Roll back button's value, sent as JSON. */
export type RollbackButtonValue = {
  model: string;
  environment: string | undefined;
  fingerprint: string;
};

export type AlertPostInput = AlertSubject & {
  ticket: { key: string; url: string } | undefined;
};

/**
 * Builds the post for a critical alert: what fires on which model and
 * environment, its ticket and links, and a Roll back button while it
 * fires. The same post is updated in place when the alert resolves.
 */
export function criticalAlertPost(input: AlertPostInput): SlackMessage {
  const { alert } = input;
  const resolved = alert.status === "resolved";
  const title = resolved
    ? `:white_check_mark: Resolved: ${alertName(alert)} on ${input.model}`
    : `:rotating_light: Critical alert: ${alertName(alert)} on ${input.model}`;

  const blocks: KnownBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: truncate(title, LIMITS.headerText) },
    },
    { type: "section", fields: detailFields(input) },
  ];
  const description = annotationText(input);
  if (description) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: truncate(description, LIMITS.sectionText) },
    });
  }
  if (!resolved && input.modelKey) blocks.push(rollbackButton(input));
  blocks.push(linksContext(input));

  return {
    text: truncate(
      `${resolved ? "Resolved" : "Critical alert"}: ${alertName(alert)} on ${input.model}${alert.labels.environment ? ` (${alert.labels.environment})` : ""}`,
      LIMITS.messageText,
    ),
    blocks,
  };
}

function detailFields(input: AlertPostInput) {
  const { alert } = input;
  const fields = [
    `*Model:*\n${escapeMrkdwn(input.model)}`,
    `*Environment:*\n${escapeMrkdwn(alert.labels.environment ?? "not given")}`,
    `*Started:*\n${alert.startsAt}`,
    alert.status === "resolved"
      ? `*Resolved:*\n${alert.endsAt ?? "time not given"}`
      : `*Status:*\nfiring`,
    `*Ticket:*\n${input.ticket ? `<${input.ticket.url}|${input.ticket.key}>` : "none"}`,
  ];
  return fields.map((text) => ({
    type: "mrkdwn" as const,
    text: truncate(text, LIMITS.fieldText),
  }));
}

function annotationText({ alert }: AlertPostInput): string | undefined {
  const parts = [alert.annotations.summary, alert.annotations.description]
    .filter((text): text is string => Boolean(text))
    .map(escapeMrkdwn);
  return parts.length > 0 ? parts.join("\n") : undefined;
}

function rollbackButton(input: AlertPostInput): KnownBlock {
  const value: RollbackButtonValue = {
    model: input.modelKey ?? input.model,
    environment: input.alert.labels.environment,
    fingerprint: input.alert.fingerprint,
  };
  const environment = input.alert.labels.environment ?? "its environment";
  return {
    type: "actions",
    block_id: "alert_actions",
    elements: [
      {
        type: "button",
        action_id: ALERT_ROLLBACK_ACTION,
        style: "danger",
        text: { type: "plain_text", text: "Roll back" },
        value: JSON.stringify(value),
        confirm: {
          title: { type: "plain_text", text: "Roll back?" },
          text: {
            type: "mrkdwn",
            text: truncate(
              `Deploy the last good version of ${escapeMrkdwn(input.model)} to ${escapeMrkdwn(environment)}?`,
              300,
            ),
          },
          confirm: { type: "plain_text", text: "Roll back" },
          deny: { type: "plain_text", text: "Cancel" },
        },
      },
    ],
  };
}

function linksContext(input: AlertPostInput): KnownBlock {
  const links = alertLinks(input.alert).map(
    (link) => `<${link.url}|${escapeMrkdwn(link.title)}>`,
  );
  const text = [
    `fingerprint \`${input.alert.fingerprint}\` · from ${senderName(input.alert)}`,
    ...links,
  ].join(" · ");
  return {
    type: "context",
    elements: [{ type: "mrkdwn", text: truncate(text, LIMITS.fieldText) }],
  };
}
