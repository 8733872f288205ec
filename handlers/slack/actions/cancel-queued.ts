import type { App, BlockButtonAction } from "@slack/bolt";
import { slackCardJob } from "../../../jobs/slack-card.js";
import { approverPolicy } from "../../../src/approver-policy.js";
import {
  queuePosition,
  releaseSlot,
} from "../../../src/promotions/active-slot.js";
import type { Services } from "../../../src/services.js";
import { CANCEL_QUEUED_ACTION } from "../../../templates/canary-progress.js";

/**
 * Registers the Cancel button of an approved promotion that waits behind
 * the active one. The requester and the environment's approvers may
 * cancel it; one that has started by then is not cancelled.
 */
export function registerCancelQueuedAction(app: App, services: Services): void {
  app.action<BlockButtonAction>(
    CANCEL_QUEUED_ACTION,
    async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const tell = (text: string) =>
        respond({ response_type: "ephemeral", replace_original: false, text });

      const promotion = await services.store.get(action.value ?? "");
      if (!promotion) {
        await tell("This promotion was not found; nothing was changed.");
        return;
      }
      const allowed =
        user === promotion.requestedBy ||
        (await approverPolicy(services.slack, services.log).allows(
          user,
          promotion.approvers,
        ));
      if (!allowed) {
        await tell(
          `Only the requester or approvers for ${promotion.environment} may cancel this promotion. Nothing was changed.`,
        );
        return;
      }
      if (
        promotion.status !== "approved" ||
        !(await queuePosition(services, promotion))
      ) {
        await tell(
          `This promotion is no longer waiting (it is ${promotion.status.replace("_", " ")}), so it was not cancelled.`,
        );
        return;
      }

      const moved = await services.store.transition({
        id: promotion.id,
        from: ["approved"],
        to: "cancelled",
        actor: user,
        reason: "cancelled while it waited for the active promotion",
      });
      if (!moved.ok) {
        await tell("This promotion moved on meanwhile; it was not cancelled.");
        return;
      }
      services.log.info(
        { promotionId: promotion.id, user },
        "queued promotion cancelled",
      );
      await releaseSlot(services, moved.promotion);
      await services.queues.add(
        slackCardJob,
        { promotionId: promotion.id },
        `card:${promotion.id}:cancelled`,
      );
    },
  );
}
