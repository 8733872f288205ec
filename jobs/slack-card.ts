import { approvalCard } from "../templates/approval-card.js";
import {
  progressNote,
  type ProgressEvent,
} from "../templates/progress-note.js";
import { GantryError } from "../src/errors.js";
import { keys } from "../src/store/keys.js";
import { queuePosition } from "../src/promotions/active-slot.js";
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
    let ts = promotion.messageTs;
    let rendered = promotion.rev;
    if (!ts) ts = await postCard(services, promotion);
    else ts = await updateCard(services, promotion, ts);

    // Another change may have landed while we rendered; render until stable.
    for (let render = 0; render < MAX_RENDERS; render++) {
      promotion = await mustGet(services, data.promotionId);
      if (promotion.rev === rendered) break;
      rendered = promotion.rev;
      ts = await updateCard(services, promotion, ts);
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

/** Renders the card from the stored state, with the queue position of a waiting promotion. */
async function renderCard(services: Services, promotion: Promotion) {
  const approvedBy = await services.store.approvals(promotion.id);
  const queue =
    promotion.status === "approved"
      ? await queuePosition(services, promotion)
      : undefined;
  return approvalCard({ promotion, approvedBy, queue });
}

/** Posts the card once; the stored ts marks it posted for every later job. */
async function postCard(
  services: Services,
  promotion: Promotion,
): Promise<string> {
  // Two card jobs of one promotion may both find no card yet. One claims
  // the post, and the other retries and then finds the stored ts.
  const claim = keys.once(
    "card-post",
    `${promotion.id}:${promotion.messageTs ?? ""}`,
  );
  if ((await services.redis.set(claim, "1", "EX", 60, "NX")) !== "OK") {
    throw new GantryError(
      "conflict",
      `the card of promotion ${promotion.id} is being posted by another job; retrying`,
      { retryable: true },
    );
  }

  const card = await renderCard(services, promotion);
  let reply;
  try {
    reply = await services.slack.chat.postMessage({
      channel: promotion.channel,
      ...card,
    });
  } catch (error) {
    // Nothing was posted, so the next try may claim the post again.
    await services.redis.del(claim);
    throw error;
  }
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

/**
 * Updates the card in place. A card deleted in Slack (message_not_found) is
 * posted afresh, and the new ts is stored; returns the ts in use.
 */
async function updateCard(
  services: Services,
  promotion: Promotion,
  ts: string,
): Promise<string> {
  const card = await renderCard(services, promotion);
  try {
    await services.slack.chat.update({
      channel: promotion.channel,
      ts,
      ...card,
    });
    return ts;
  } catch (error) {
    if (
      (error as { data?: { error?: string } }).data?.error !==
      "message_not_found"
    ) {
      throw error;
    }
    services.log.warn(
      { promotionId: promotion.id, ts },
      "card message not found in Slack; posting it afresh",
    );
    return postCard(services, promotion);
  }
}
