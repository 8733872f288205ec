import type { App, BlockButtonAction } from "@slack/bolt";
import { startRollback } from "../../../src/rollback/start-rollback.js";
import type { Services } from "../../../src/services.js";
import { stepName } from "../../../templates/canary-notes.js";
import { CANARY_ROLLBACK_ACTION } from "../../../templates/canary-progress.js";
import { rollbackReply } from "../../../templates/rollback-messages.js";
import { pausedCanaryFor } from "./canary-buttons.js";

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

      const found = await pausedCanaryFor({
        services,
        value: action.value,
        user,
        action: "roll back",
        tell,
      });
      if (!found) return;
      const { promotion, step } = found;

      const outcome = await startRollback(services, {
        model: promotion.model,
        environment: promotion.environment,
        requestedBy: user,
        reason: `an approver rolled back after an inconclusive health check in canary ${stepName(promotion, step)}`,
        fallbackChannel: promotion.channel,
        requestKey: `rollback:${promotion.id}`,
        replacing: {
          promotion,
          expect: { canaryStep: step, stepPhase: "paused" },
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
