import type { App } from "@slack/bolt";
import { slackCardJob } from "../../../jobs/slack-card.js";
import { answerProtectionRule } from "../../../src/promotions/protection-rule-answer.js";
import type { Services } from "../../../src/services.js";
import {
  REASON_BLOCK,
  REASON_INPUT,
  REJECT_VIEW,
} from "../../../templates/reject-reason-modal.js";

/** Registers the reject modal's submission: the promotion ends `rejected` with the reason. */
export function registerRejectReasonView(app: App, services: Services): void {
  app.view(REJECT_VIEW, async ({ ack, view, body }) => {
    const reason =
      view.state.values[REASON_BLOCK]?.[REASON_INPUT]?.value?.trim() ?? "";
    if (reason.length < 3) {
      await ack({
        response_action: "errors",
        errors: { [REASON_BLOCK]: "Give a reason of at least 3 characters." },
      });
      return;
    }
    await ack();

    const promotionId = view.private_metadata;
    const user = body.user.id;
    const moved = await services.store.transition({
      id: promotionId,
      from: ["pending_approval"],
      to: "rejected",
      actor: user,
      reason,
    });
    if (!moved.ok) {
      services.log.info(
        { promotionId, user, reason: moved.reason },
        "rejection ignored: promotion already moved on",
      );
      return;
    }

    services.log.info({ promotionId, user }, "promotion rejected");
    if (moved.promotion.kind === "protection_rule") {
      await answerProtectionRule(services, moved.promotion, {
        state: "rejected",
        comment: `Rejected in Slack by ${user}: ${reason}`,
      });
    }
    await services.queues.add(
      slackCardJob,
      { promotionId, note: { kind: "rejected", user, reason } },
      `card:${promotionId}:rejected`,
    );
  });
}
