import type { App, BlockButtonAction, RespondFn } from "@slack/bolt";
import { deploymentJob } from "../../../jobs/deployment.js";
import { slackCardJob } from "../../../jobs/slack-card.js";
import {
  approverPolicy,
  formatApprovers,
} from "../../../src/approver-policy.js";
import type { Promotion } from "../../../src/promotion.js";
import { answerProtectionRule } from "../../../src/promotions/protection-rule-answer.js";
import { checkVersionUnchanged } from "../../../src/promotions/version-binding.js";
import type { Services } from "../../../src/services.js";
import type { ApprovalOutcome } from "../../../src/store/promotion-store.js";
import { APPROVE_ACTION } from "../../../templates/approval-card.js";

/**
 * Registers the card's Approve button. Steps: find the promotion, refuse the
 * requester and anyone who is not an approver, check that the version is
 * still the one requested, count the approval once, and on reaching the
 * count queue the deployment (or answer GitHub for a protection rule).
 */
export function registerApproveAction(app: App, services: Services): void {
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
      const tell = (text: string) =>
        respond({ response_type: "ephemeral", replace_original: false, text });

      const promotion = await services.store.get(promotionId);
      if (!promotion) {
        await tell(
          `Promotion ${promotionId} was not found; it may have been removed.`,
        );
        return;
      }
      const refusal = await authorize(services, promotion, user);
      if (refusal) {
        log.info({ refusal }, "approval rejected");
        await tell(refusal);
        return;
      }
      if (!(await checkVersionUnchanged(services, promotion))) {
        await tell(
          `Version ${promotion.version} changed in the model registry since it was requested, so earlier approvals are void. Check the card, then approve again if the new record is right.`,
        );
        return;
      }

      const policy = approverPolicy(services.slack, services.log);
      const inGroup = promotion.requiredGroup
        ? await policy.inGroup(user, promotion.requiredGroup)
        : false;
      const outcome = await services.store.approve(promotionId, user, inGroup);
      log.info({ outcome: outcome.outcome }, "approval handled");
      await afterApproval({ services, promotion, user, outcome, respond });
    },
  );
}

/** Returns why the user may not approve, or undefined when they may. */
async function authorize(
  services: Services,
  promotion: Promotion,
  user: string,
): Promise<string | undefined> {
  if (user === promotion.requestedBy)
    return outcomeMessage({ outcome: "self_approval" }, promotion);

  const policy = approverPolicy(services.slack, services.log);
  if (await policy.allows(user, promotion.approvers)) return undefined;
  return `You are not an approver for ${promotion.environment}; approvers are ${formatApprovers(promotion.approvers)}. Nothing was changed.`;
}

async function afterApproval(params: {
  services: Services;
  promotion: Promotion;
  user: string;
  outcome: ApprovalOutcome;
  respond: RespondFn;
}): Promise<void> {
  const { services, promotion, user, outcome } = params;
  const message = outcomeMessage(outcome, promotion);
  if (message)
    await params.respond({
      response_type: "ephemeral",
      replace_original: false,
      text: message,
    });
  if (outcome.outcome !== "approved" && outcome.outcome !== "counted") return;

  if (outcome.outcome === "approved") {
    if (promotion.kind === "protection_rule") {
      await answerProtectionRule(services, promotion, {
        state: "approved",
        comment: `Approved in Slack through Gantry (${promotion.id})`,
      });
      await services.store.transition({
        id: promotion.id,
        from: ["approved"],
        to: "succeeded",
        actor: user,
        reason: "",
      });
    } else {
      await services.queues.add(
        deploymentJob,
        { promotionId: promotion.id },
        `deploy:${promotion.id}`,
      );
    }
  }
  await services.queues.add(
    slackCardJob,
    {
      promotionId: promotion.id,
      note: {
        kind: "approval",
        user,
        count: outcome.count,
        required: outcome.required,
      },
    },
    `card:${promotion.id}:approval:${user}`,
  );
}

function outcomeMessage(
  outcome: ApprovalOutcome,
  promotion: Promotion,
): string | undefined {
  switch (outcome.outcome) {
    case "approved":
      return undefined;
    case "counted":
      return outcome.count >= outcome.required && !outcome.groupApproved
        ? `Your approval counts (${outcome.count} of ${outcome.required}); one approval from <!subteam^${promotion.requiredGroup ?? ""}> is still needed.`
        : undefined;
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
