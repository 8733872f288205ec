import type { App, BlockButtonAction } from "@slack/bolt";
import {
  approverPolicy,
  formatApprovers,
} from "../../../src/approver-policy.js";
import { startRollback } from "../../../src/rollback/start-rollback.js";
import type { Services } from "../../../src/services.js";
import { stepName } from "../../../templates/canary-notes.js";
import { CANARY_ROLLBACK_ACTION } from "../../../templates/canary-progress.js";
import { rollbackReply } from "../../../templates/rollback-messages.js";
import { parseCanaryButton, pausedAt } from "./canary-buttons.js";

/**
 * Registers the Roll back button of a paused canary: an approver rolls the
 * environment back to the last version that succeeded there.
 */
export function registerCanaryRollbackAction(
  app: App,
  services: Services,
): void {
  app.action<BlockButtonAction>(
    CANARY_ROLLBACK_ACTION,
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
          `Only approvers for ${promotion.environment} may roll back; they are ${formatApprovers(promotion.approvers)}. Nothing was changed.`,
        );
        return;
      }
      if (!pausedAt(promotion, button.step)) {
        await tell(
          `This canary is no longer paused at ${stepName(promotion, button.step)}; nothing was changed.`,
        );
        return;
      }

      const outcome = await startRollback(services, {
        model: promotion.model,
        environment: promotion.environment,
        requestedBy: user,
        reason: `an approver rolled back after an inconclusive health check in canary ${stepName(promotion, button.step)}`,
        fallbackChannel: promotion.channel,
        requestKey: `rollback:${promotion.id}`,
        replacing: {
          promotion,
          expect: { canaryStep: button.step, stepPhase: "paused" },
        },
      });
      services.log.info(
        { promotionId: promotion.id, user, outcome: outcome.outcome },
        "paused canary rolled back",
      );
      await tell(
        rollbackReply({
          modelName: promotion.modelName,
          environment: promotion.environment,
          outcome,
        }),
      );
    },
  );
}
