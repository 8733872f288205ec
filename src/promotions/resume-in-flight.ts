import { deploymentJob } from "../../jobs/deployment.js";
import { scheduleStepTimeout } from "../../jobs/canary-timeout.js";
import { checkCount, checkOffsetMs } from "../canary/canary-plan.js";
import { scheduleCheck } from "../canary/canary-steps.js";
import { isTerminal, type Promotion } from "../promotion.js";
import { resumeRollback } from "../rollback/start-rollback.js";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";
import { releaseSlot } from "./active-slot.js";

/** The settings of one reconcile run. */
export type ResumeRun = {
  /** Added to the ids of the jobs this run queues, so they are new jobs and not the stuck ones. */
  runId: string;
  /** Work counts as stuck when its promotion has not moved for this long. */
  staleAfterMs: number;
  now: number;
};

/** A rollback promotion still pending this long was interrupted between its creation and its approval. */
const ROLLBACK_START_MS = 10_000;

/**
 * Queues again the next step of a promotion whose job a crash may have
 * lost or left stuck. That step is the deployment of an approved promotion
 * or of a canary step, the due health check of a bake, the step timeout, or
 * an interrupted rollback. The jobs get new ids. Every job checks the
 * promotion's state before it acts, so running one twice changes nothing.
 */
export async function resumeInFlight(
  services: Services,
  promotion: Promotion,
  run: ResumeRun,
): Promise<void> {
  const idle = run.now - Date.parse(promotion.updatedAt);

  if (
    promotion.kind === "rollback" &&
    promotion.status === "pending_approval"
  ) {
    if (idle >= ROLLBACK_START_MS) await resumeRollback(services, promotion);
    return;
  }
  if (promotion.status === "approved" && idle >= run.staleAfterMs) {
    await services.queues.add(
      deploymentJob,
      { promotionId: promotion.id },
      `deploy:${promotion.id}:${run.runId}`,
    );
    return;
  }
  if (promotion.status !== "deploying" && promotion.status !== "canary") return;
  if (!promotion.canaryPlan || promotion.canaryStep === undefined) return;

  const step = promotion.canaryStep;
  if (promotion.stepPhase !== "paused") {
    await scheduleStepTimeout(services, promotion, step);
  }
  if (
    promotion.stepPhase === "deploying" &&
    promotion.deploymentStep !== step &&
    step > 0 &&
    idle >= run.staleAfterMs
  ) {
    await services.queues.add(
      deploymentJob,
      { promotionId: promotion.id, step },
      `deploy:${promotion.id}:step:${step}:${run.runId}`,
    );
  }
  if (promotion.stepPhase === "baking") {
    await resumeBake(services, promotion, run);
  }
}

/** Queues the bake's next health check again: at its time, or now when it is overdue. */
async function resumeBake(
  services: Services,
  promotion: Promotion,
  run: ResumeRun,
): Promise<void> {
  const plan = promotion.canaryPlan;
  const step = promotion.canaryStep ?? 0;
  if (!plan || !promotion.bakeStartedAt) return;

  const recorded = await services.redis.hkeys(keys.canaryChecks(promotion.id));
  const done = new Set(
    recorded.filter((field) => field.startsWith(`${step}:`)),
  );
  let next = 1;
  while (next < checkCount(plan) && done.has(`${step}:${next}`)) next++;

  const due = Date.parse(promotion.bakeStartedAt) + checkOffsetMs(plan, next);
  // A check not due yet is queued under its own id, so adding it again adds
  // nothing. An overdue check gets a new id.
  if (due > run.now) await scheduleCheck(services, promotion, step, next);
  else if (run.now - due >= run.staleAfterMs)
    await scheduleCheck(services, promotion, step, next, `:${run.runId}`);
}

/**
 * Releases the slot of an environment's active promotion when that
 * promotion already ended, because a crash can come between the two. The
 * first promotion waiting behind it starts.
 */
export async function releaseEndedSlots(
  services: Services,
  model: string,
  environments: readonly string[],
): Promise<void> {
  for (const environment of environments) {
    const holder = await services.redis.get(
      keys.activePromotion(model, environment),
    );
    if (!holder) continue;
    const active = await services.store.get(holder);
    if (active && !isTerminal(active.status)) continue;
    await releaseSlot(services, { id: holder, model, environment });
  }
}
