import type { Services } from "../src/services.js";
import { deploymentJob } from "./deployment.js";
import { slackCardJob } from "./slack-card.js";

/**
 * Re-queues work that a crash may have dropped between a state change and
 * its job: approved promotions without a deployment, and cards never
 * posted. Job ids make this safe to run from every replica at once.
 */
export async function reconcile(services: Services): Promise<void> {
  for (const model of await services.registry.modelKeys()) {
    for (const promotion of await services.store.listByStatus(model, [
      "approved",
      "pending_approval",
    ])) {
      if (promotion.status === "approved") {
        await services.queues.add(
          deploymentJob,
          { promotionId: promotion.id },
          `deploy:${promotion.id}`,
        );
      }
      if (!promotion.messageTs) {
        await services.queues.add(
          slackCardJob,
          { promotionId: promotion.id },
          `card:${promotion.id}:created`,
        );
      }
    }
  }
}
