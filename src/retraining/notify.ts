import { replyEphemeral } from "../clients/slack-response.js";
import type { Services } from "../services.js";
import {
  retrainingNoticeSchema,
  type RetrainingNotice,
  type RetrainingOutcomeKind,
  type RetrainingRun,
} from "./retraining-run.js";
import { RetrainingRunStore } from "./run-store.js";

/**
 * Posts a notice in the model's channel (or the channel /retrain was typed
 * in), comments it on the run's ticket, and replies to the command. A Slack
 * or Jira error is thrown, so the job retries, and the parts sent before are
 * not sent again. An expired response_url is only logged.
 */
export async function notifyRetraining(
  services: Services,
  run: RetrainingRun,
  notice: RetrainingNotice,
): Promise<void> {
  const runs = new RetrainingRunStore(services.redis);
  const log = services.log.child({
    retrainingRunId: run.id,
    step: notice.step,
  });

  const channel = await channelFor(services, run);
  if (channel) {
    await runs.once(run.id, `${notice.step}:channel`, async () => {
      await services.slack.chat.postMessage({
        channel,
        text: notice.channelMessage,
        unfurl_links: false,
      });
    });
  } else {
    log.info(
      { model: run.modelKey },
      "no Slack channel for the model; retraining notice not posted",
    );
  }

  if (run.ticket) await commentOnTicket(services, run, notice);
  if (notice.reply && run.responseUrl)
    await replyOnce(services, run, notice.step, notice.reply);
}

async function channelFor(
  services: Services,
  run: RetrainingRun,
): Promise<string | undefined> {
  const entry = await services.registry.entry(run.modelKey);
  return entry?.channel ?? run.channel;
}

async function commentOnTicket(
  services: Services,
  run: RetrainingRun,
  notice: RetrainingNotice,
): Promise<void> {
  const { jira } = services;
  const ticket = run.ticket;
  if (!ticket) return;
  if (!jira) {
    services.log.info(
      { retrainingRunId: run.id, jiraKey: ticket },
      "Jira is not configured; retraining notice not commented on the ticket",
    );
    return;
  }

  const runs = new RetrainingRunStore(services.redis);
  await runs.once(run.id, `${notice.step}:ticket`, () =>
    jira.addComment(ticket, notice.ticketComment),
  );
}

async function replyOnce(
  services: Services,
  run: RetrainingRun,
  step: string,
  text: string,
): Promise<void> {
  const responseUrl = run.responseUrl;
  if (!responseUrl) return;

  const runs = new RetrainingRunStore(services.redis);
  await runs.once(run.id, `${step}:reply`, async () => {
    try {
      await replyEphemeral(responseUrl, { text });
    } catch (error) {
      services.log.warn(
        { err: error, retrainingRunId: run.id },
        "ephemeral reply to /retrain failed",
      );
    }
  });
}

/** Returns the outcome notice that `RetrainingRunStore.complete` stored with a run. */
export function storedNotice(run: RetrainingRun): RetrainingNotice | undefined {
  if (!run.notice) return undefined;
  const parsed = retrainingNoticeSchema.safeParse(JSON.parse(run.notice));
  return parsed.success ? parsed.data : undefined;
}

/**
 * Completes a run with its outcome and notice, releasing its model, then
 * sends the notice. A retried job that finds the run completed calls
 * `sendOutcomeNotice` to send what is left of it.
 */
export async function completeRun(
  services: Services,
  run: RetrainingRun,
  outcome: RetrainingOutcomeKind,
  notice: RetrainingNotice,
): Promise<void> {
  const runs = new RetrainingRunStore(services.redis);
  await runs.complete(run, outcome, notice);
  services.log.info(
    { retrainingRunId: run.id, model: run.modelKey, outcome },
    "retraining run completed",
  );
  await sendOutcomeNotice(services, run.id);
}

/** Sends the outcome notice stored with a completed run. Parts sent before are skipped. */
export async function sendOutcomeNotice(
  services: Services,
  runId: string,
): Promise<void> {
  const run = await new RetrainingRunStore(services.redis).get(runId);
  const notice = run ? storedNotice(run) : undefined;
  if (run && notice) await notifyRetraining(services, run, notice);
}
