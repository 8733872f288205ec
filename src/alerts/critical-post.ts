import type { Services } from "../services.js";
import { criticalAlertPost } from "../../templates/alert-post.js";
import type { SlackMessage } from "../../templates/approval-card.js";
import type { AlertContext } from "./alert-context.js";
import {
  readAlertState,
  updateAlertState,
  type AlertState,
} from "./alert-state.js";

/**
 * Posts a firing critical alert to the model's alerts channel once per
 * firing, and stores where, so the resolution can update the same post.
 * The caller holds the fingerprint's lock.
 */
export async function postCriticalAlert(
  services: Services,
  context: AlertContext,
  ticket: string | undefined,
): Promise<void> {
  const { alert } = context.subject;
  const channel = context.entry?.alertsChannel;
  if (!channel) {
    services.log.info(
      { model: context.subject.modelKey },
      "critical alert not posted: no slack.alerts_channel or slack.channel configured",
    );
    return;
  }
  const state = await readAlertState(services.redis, alert.fingerprint);
  if (state.slackTs && state.slackFiring === alert.startsAt) return;

  const reply = await services.slack.chat.postMessage({
    channel,
    ...renderPost(services, context, ticket),
    unfurl_links: false,
  });
  if (!reply.ts) return;

  await updateAlertState(services.redis, alert.fingerprint, {
    slackChannel: reply.channel ?? channel,
    slackTs: reply.ts,
    slackFiring: alert.startsAt,
  });
  services.log.info(
    { channel: reply.channel ?? channel, ts: reply.ts },
    "critical alert posted",
  );
}

/** Updates the firing's Slack post to show the alert resolved, when there is one. */
export async function updateResolvedPost(
  services: Services,
  context: AlertContext,
  state: AlertState,
  ticket: string | undefined,
): Promise<void> {
  const { alert } = context.subject;
  if (!state.slackTs || !state.slackChannel) return;
  if (state.slackFiring !== alert.startsAt) return;

  await services.slack.chat.update({
    channel: state.slackChannel,
    ts: state.slackTs,
    ...renderPost(services, context, ticket),
  });
}

function renderPost(
  services: Services,
  context: AlertContext,
  ticket: string | undefined,
): SlackMessage {
  return criticalAlertPost({
    ...context.subject,
    ticket:
      ticket && services.jira
        ? { key: ticket, url: services.jira.browseUrl(ticket) }
        : undefined,
  });
}
