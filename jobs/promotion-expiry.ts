import type { JobDefinition } from "../src/queues.js";
import { answerProtectionRule } from "../src/promotions/protection-rule-answer.js";
import { slackCardJob } from "./slack-card.js";

export type PromotionExpiryData = { promotionId: string };

/**
 * Ends a promotion `expired` when no decision came within the environment's
 * approval timeout. It runs as a delayed job, so the deadline survives a
 * restart; a promotion decided in time is left alone.
 */
export const promotionExpiryJob: JobDefinition<PromotionExpiryData> = {
  queue: "{promotion-expiry}",
  options: {},

  async process(data, services) {
    const moved = await services.store.transition({
      id: data.promotionId,
      from: ["pending_approval"],
      to: "expired",
      actor: "gantry",
      reason: "no decision before the approval timeout",
    });
    if (!moved.ok) return;

    services.log.info({ promotionId: data.promotionId }, "promotion expired");
    if (moved.promotion.kind === "protection_rule") {
      await answerProtectionRule(services, moved.promotion, {
        state: "rejected",
        comment: "Gantry: no approval before the approval timeout",
      });
    }
    await services.queues.add(
      slackCardJob,
      { promotionId: data.promotionId },
      `card:${data.promotionId}:expired`,
    );
  },
};
