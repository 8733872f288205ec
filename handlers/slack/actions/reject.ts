import type { App, BlockButtonAction } from "@slack/bolt";
import { approverPolicy } from "../../../src/approver-policy.js";
import type { Services } from "../../../src/services.js";
import { REJECT_ACTION } from "../../../templates/approval-card.js";
import { rejectReasonModal } from "../../../templates/reject-reason-modal.js";

/**
 * Registers the card's Reject button: it opens a modal that asks for the
 * reason. Approvers and the requester may reject.
 */
export function registerRejectAction(app: App, services: Services): void {
  app.action<BlockButtonAction>(
    REJECT_ACTION,
    async ({ ack, body, action, respond, client }) => {
      await ack();
      const promotionId = action.value ?? "";
      const promotion = await services.store.get(promotionId);
      if (!promotion || promotion.status !== "pending_approval") {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: promotion
            ? `This promotion is ${promotion.status.replace("_", " ")}; it can no longer be rejected.`
            : `Promotion ${promotionId} was not found.`,
        });
        return;
      }

      const user = body.user.id;
      if (
        user !== promotion.requestedBy &&
        !(await approverPolicy(services.slack, services.log).allows(
          user,
          promotion.approvers,
        ))
      ) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: `Only approvers for ${promotion.environment} or the requester may reject this promotion. Nothing was changed.`,
        });
        return;
      }

      await client.views.open({
        trigger_id: body.trigger_id,
        view: rejectReasonModal(promotion),
      });
    },
  );
}
