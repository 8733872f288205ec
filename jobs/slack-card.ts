import type { WebClient } from "@slack/web-api";
import { approvalCard } from "../templates/approval-card.js";
import {
  progressNote,
  type ProgressEvent,
} from "../templates/progress-note.js";
import { GantryError } from "../src/errors.js";
import type { Promotion } from "../src/promotion.js";
import type { JobDefinition } from "../src/queues.js";
import type { Services } from "../src/services.js";

export type SlackCardData = {
  promotionId: string;
  /** A line for the card's thread, after the card itself is brought up to date. */
  note?: ProgressEvent;
};

/** Renders at most this many times when the promotion keeps changing under us. */
const MAX_RENDERS = 5;

/**
 * Posts a promotion's card, or updates it in place, and adds a progress line
 * to its thread. The card is rendered from the state at run time, so jobs
 * that run late or out of order still leave the newest state on the card.
 */
export const slackCardJob: JobDefinition<SlackCardData> = {
  queue: "{slack-cards}",
  options: {},

  async process(data, services) {
    let promotion = await mustGet(services, data.promotionId);
    const ts = promotion.messageTs ?? (await postCard(services, promotion));

    for (let render = 0; render < MAX_RENDERS; render++) {
      await updateCard(
        services.slack,
        promotion,
        ts,
        await services.store.approvals(promotion.id),
      );
      const newest = await mustGet(services, data.promotionId);
      if (newest.rev === promotion.rev) break;
      promotion = newest;
    }

    if (data.note) {
      await services.slack.chat.postMessage({
        channel: promotion.channel,
        thread_ts: ts,
        text: progressNote(promotion, data.note),
        unfurl_links: false,
      });
    }
    services.log.debug(
      { promotionId: promotion.id, status: promotion.status },
      "card updated",
    );
  },

  async giveUp(data, error, services) {
    services.log.error(
      { err: error, promotionId: data.promotionId },
      "card could not be posted or updated",
    );
  },
};

async function mustGet(services: Services, id: string): Promise<Promotion> {
  const promotion = await services.store.get(id);
  if (!promotion)
    throw new GantryError("not_found", `promotion ${id} not found`, {
      retryable: false,
    });
  return promotion;
}

/** Posts the card once; the stored ts marks it posted for every later job. */
async function postCard(
  services: Services,
  promotion: Promotion,
): Promise<string> {
  const card = approvalCard({
    promotion,
    approvedBy: await services.store.approvals(promotion.id),
  });
  const reply = await services.slack.chat.postMessage({
    channel: promotion.channel,
    ...card,
  });
  if (!reply.ts) {
    throw new GantryError(
      "upstream_rejected",
      `Slack returned no message ts for promotion ${promotion.id}'s card`,
    );
  }

  await services.store.setFields(promotion.id, {
    messageTs: reply.ts,
    channel: reply.channel ?? promotion.channel,
  });
  services.log.info(
    { promotionId: promotion.id, channel: reply.channel, ts: reply.ts },
    "approval card posted",
  );
  return reply.ts;
}

async function updateCard(
  slack: WebClient,
  promotion: Promotion,
  ts: string,
  approvedBy: string[],
): Promise<void> {
  const card = approvalCard({ promotion, approvedBy });
  await slack.chat.update({ channel: promotion.channel, ts, ...card });
}
