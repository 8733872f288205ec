import { formatDuration } from "../src/config/duration.js";
import type { Promotion } from "../src/promotion.js";
import type { JobDefinition } from "../src/queues.js";
import { rollBackAutomatically } from "../src/rollback/start-rollback.js";
import type { Services } from "../src/services.js";
import { stepName } from "../templates/canary-notes.js";

export type CanaryTimeoutData = { promotionId: string; step: number };

/**
 * Rolls back a canary promotion whose step has not finished (its deployment
 * reported and its bake passed) within the step timeout. It runs as a
 * delayed job, so the deadline survives a restart. A step that moved on, or
 * that is paused for a person, is left alone.
 */
export const canaryTimeoutJob: JobDefinition<CanaryTimeoutData> = {
  queue: "{canary-timeouts}",
  options: {},

  async process(data, services) {
    // A step may move from deploying to baking while the rollback is
    // decided; read it again then, up to three times.
    for (let attempt = 0; attempt < 3; attempt++) {
      const promotion = await services.store.get(data.promotionId);
      if (!promotion || !runningStep(promotion, data.step)) return;

      const timeout = formatDuration(promotion.canaryPlan?.stepTimeoutMs ?? 0);
      services.log.warn(
        { promotionId: promotion.id, step: data.step },
        "canary step timed out",
      );
      const outcome = await rollBackAutomatically(services, promotion, {
        expect: { canaryStep: data.step, stepPhase: promotion.stepPhase },
        reason: `canary ${stepName(promotion, data.step)} did not finish within its step timeout of ${timeout}`,
      });
      if (outcome.outcome !== "moved_on") return;
    }
  },
};

function runningStep(promotion: Promotion, step: number): boolean {
  return (
    (promotion.status === "deploying" || promotion.status === "canary") &&
    promotion.canaryStep === step &&
    (promotion.stepPhase === "deploying" || promotion.stepPhase === "baking")
  );
}

/** Queues the timeout of a canary step, counted from the step's start; repeats add nothing. */
export async function scheduleStepTimeout(
  services: Services,
  promotion: Promotion,
  step: number,
): Promise<void> {
  const plan = promotion.canaryPlan;
  if (!plan || !promotion.stepStartedAt) return;

  const deadline = Date.parse(promotion.stepStartedAt) + plan.stepTimeoutMs;
  await services.queues.add(
    canaryTimeoutJob,
    { promotionId: promotion.id, step },
    `canary-timeout:${promotion.id}:${step}`,
    { delay: Math.max(0, deadline - Date.now()) },
  );
}
