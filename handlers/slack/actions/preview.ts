import type { App, BlockButtonAction } from "@slack/bolt";
import { planPromotion } from "../../../src/promotions/plan-promotion.js";
import type { Services } from "../../../src/services.js";
import { PREVIEW_ACTION } from "../../../templates/approval-card.js";
import { planMessage } from "../../../templates/plan-message.js";

/** Registers the card's Preview button: the promotion's plan, shown only to the person who pressed it. */
export function registerPreviewAction(app: App, services: Services): void {
  app.action<BlockButtonAction>(
    PREVIEW_ACTION,
    async ({ ack, body, action, respond }) => {
      await ack();
      const promotion = await services.store.get(action.value ?? "");
      const entry = promotion
        ? await services.registry.entry(promotion.model)
        : undefined;
      if (!promotion || !entry) {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: "This promotion or its model is no longer known, so there is no plan to show.",
        });
        return;
      }

      const plan = await planPromotion(services, {
        entry,
        version: promotion.version,
        environment: promotion.environment,
        user: body.user.id,
      });
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...planMessage(plan),
      });
    },
  );
}
