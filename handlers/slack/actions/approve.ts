import type { App, BlockButtonAction } from "@slack/bolt";
import { deploymentJob } from "../../../jobs/deployment.js";
import { slackCardJob } from "../../../jobs/slack-card.js";
import {
  ApproverPolicy,
  formatApprovers,
} from "../../../src/approver-policy.js";
import type { ApprovalOutcome } from "../../../src/store/promotion-store.js";
import type { Services } from "../../../src/services.js";
import { APPROVE_ACTION } from "../../../templates/approval-card.js";

/**
 * Registers the card's Approve button. An allowed approver who is not the
 * requester counts once; reaching the environment's count queues the
 * deployment. Anyone else gets an ephemeral reason and changes nothing.
 */
export function registerApproveAction(app: App, services: Services): void {
  const policy = new ApproverPolicy(services.slack, services.log);

  app.action<BlockButtonAction>(
    APPROVE_ACTION,
    async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const promotionId = action.value ?? "";
      const log = services.log.child({
        promotionId,
        user,
        team: body.team?.id,
        channel: body.channel?.id,
      });

      const promotion = await services.store.get(promotionId);
      if (!promotion) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: `Promotion ${promotionId} was not found; it may have been removed.`,
        });
        return;
      }
      if (user === promotion.requestedBy) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: outcomeMessage({ outcome: "self_approval" }),
        });
        return;
      }
      if (!(await policy.allows(user, promotion.approvers))) {
        log.info("approval rejected: not an approver");
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: `You are not an approver for ${promotion.environment}; approvers are ${formatApprovers(promotion.approvers)}. Nothing was changed.`,
        });
        return;
      }

      const outcome = await services.store.approve(promotionId, user);
      log.info({ outcome: outcome.outcome }, "approval handled");
      const message = outcomeMessage(outcome);
      if (message)
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: message,
        });

      if (outcome.outcome === "approved") {
        await services.queues.add(
          deploymentJob,
          { promotionId },
          `deploy:${promotionId}`,
        );
      }
      if (outcome.outcome === "approved" || outcome.outcome === "counted") {
        await services.queues.add(
          slackCardJob,
          {
            promotionId,
            note: {
              kind: "approval",
              user,
              count: outcome.count,
              required: outcome.required,
            },
          },
          `card:${promotionId}:approval:${user}`,
        );
      }
    },
  );
}

function outcomeMessage(outcome: ApprovalOutcome): string | undefined {
  switch (outcome.outcome) {
    case "approved":
    case "counted":
      return undefined;
    case "duplicate":
      return `Your approval was already counted (${outcome.count} of ${outcome.required}).`;
    case "self_approval":
      return "You requested this promotion, so you cannot approve it; another approver must.";
    case "not_pending":
      return `This promotion is ${outcome.status.replace("_", " ")}, so it takes no more approvals.`;
    case "missing":
      return "This promotion was not found; it may have been removed.";
  }
}
