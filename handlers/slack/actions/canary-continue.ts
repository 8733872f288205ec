import type { App, BlockButtonAction } from "@slack/bolt";
import { slackCardJob } from "../../../jobs/slack-card.js";
import { passStep } from "../../../src/canary/canary-steps.js";
import type { Services } from "../../../src/services.js";
import { CANARY_CONTINUE_ACTION } from "../../../templates/canary-progress.js";
import { pausedCanaryFor } from "./canary-buttons.js";

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

      const found = await pausedCanaryFor({
        services,
        value: action.value,
        user,
        action: "continue a paused canary",
        tell,
      });
      if (!found) return;
      const { promotion, step } = found;

      const moved = await passStep(services, promotion, {
        step: step,
        phase: "paused",
        actor: user,
      });
      services.log.info(
        { promotionId: promotion.id, user, step: step, moved },
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
          note: { kind: "resumed", step: step, user },
        },
        `card:${promotion.id}:resumed:${step}`,
      );
    },
  );
}
