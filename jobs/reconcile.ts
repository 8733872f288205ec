import {
  releaseEndedSlots,
  resumeInFlight,
  type ResumeRun,
} from "../src/promotions/resume-in-flight.js";
import type { Services } from "../src/services.js";
import { slackCardJob } from "./slack-card.js";

/**
 * Re-queues work that a crash may have dropped between a state change and
 * its job (see resumeInFlight), releases the slots of promotions that
 * ended, and posts cards never posted. It runs on every worker at start,
 * with `staleAfterMs` 0, and on a schedule. Job ids and the jobs' own state
 * checks make it safe to run from every replica at once.
 */
export async function reconcile(
  services: Services,
  params: { runId: string; staleAfterMs: number },
): Promise<void> {
  const run: ResumeRun = { ...params, now: Date.now() };
  for (const model of await services.registry.modelKeys()) {
    const entry = await services.registry.entry(model);
    if (entry) await releaseEndedSlots(services, model, entry.order);

    for (const promotion of await services.store.listByStatus(model, [
      "pending_approval",
      "approved",
      "deploying",
      "canary",
    ])) {
      await resumeInFlight(services, promotion, run);
      if (
        !promotion.messageTs &&
        (promotion.status === "approved" ||
          promotion.status === "pending_approval")
      ) {
        await services.queues.add(
          slackCardJob,
          { promotionId: promotion.id },
          `card:${promotion.id}:created`,
        );
      }
    }
  }
}
