import type { App, BlockButtonAction } from "@slack/bolt";
import { slackCardJob } from "../../../jobs/slack-card.js";
import {
  approverPolicy,
  formatApprovers,
} from "../../../src/approver-policy.js";
import { passStep } from "../../../src/canary/canary-steps.js";
import type { Services } from "../../../src/services.js";
import { stepName } from "../../../templates/canary-notes.js";
import { CANARY_CONTINUE_ACTION } from "../../../templates/canary-progress.js";
import { parseCanaryButton, pausedAt } from "./canary-buttons.js";

/**
 * Registers the Continue button of a paused canary: an approver accepts the
 * inconclusive step, and the canary moves on to its next step (or, after
 * the last one, succeeds).
 */
export function registerCanaryContinueAction(
  app: App,
  services: Services,
): void {
  app.action<BlockButtonAction>(
    CANARY_CONTINUE_ACTION,
    async ({ ack, body, action, respond }) => {
      await ack();
      const user = body.user.id;
      const tell = (text: string) =>
        respond({ response_type: "ephemeral", replace_original: false, text });

      const button = parseCanaryButton(action.value);
      const promotion = button
        ? await services.store.get(button.promotionId)
        : undefined;
      if (!button || !promotion) {
        await tell("This canary was not found; nothing was changed.");
        return;
      }
      const policy = approverPolicy(services.slack, services.log);
      if (!(await policy.allows(user, promotion.approvers))) {
        await tell(
          `Only approvers for ${promotion.environment} may continue a paused canary; they are ${formatApprovers(promotion.approvers)}. Nothing was changed.`,
        );
        return;
      }
      if (!pausedAt(promotion, button.step)) {
        await tell(
          `This canary is no longer paused at ${stepName(promotion, button.step)}; nothing was changed.`,
        );
        return;
      }

      const moved = await passStep(services, promotion, {
        step: button.step,
        phase: "paused",
        actor: user,
      });
      services.log.info(
        { promotionId: promotion.id, user, step: button.step, moved },
        "paused canary continued",
      );
      if (!moved) {
        await tell("This canary moved on meanwhile; nothing was changed.");
        return;
      }
      await services.queues.add(
        slackCardJob,
        {
          promotionId: promotion.id,
          note: { kind: "resumed", step: button.step, user },
        },
        `card:${promotion.id}:resumed:${button.step}`,
      );
    },
  );
}
