import { canaryCheckJob } from "../../jobs/canary-check.js";
import { deploymentJob } from "../../jobs/deployment.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import type { ProgressEvent } from "../../templates/progress-note.js";
import type { Promotion, StepPhase } from "../promotion.js";
import { succeedPromotion } from "../promotions/succeed-promotion.js";
import type { Services } from "../services.js";
import { checkOffsetMs } from "./canary-plan.js";
import { summarizeChecks } from "./check-results.js";

/**
 * Starts the bake of the step whose deployment succeeded: the promotion
 * moves to `canary`, baking, and the first health check is queued. A
 * status for a step that is no longer deploying changes nothing.
 */
export async function startBake(
  services: Services,
  promotion: Promotion,
): Promise<Promotion | undefined> {
  const step = promotion.canaryStep ?? 0;
  const moved = await services.store.update({
    id: promotion.id,
    from: ["deploying", "canary"],
    to: "canary",
    expect: {
      canaryStep: step,
      stepPhase: "deploying",
      deploymentId: promotion.deploymentId,
    },
    fields: { stepPhase: "baking", bakeStartedAt: new Date().toISOString() },
    actor: "github",
    action: "canary_bake",
  });
  if (!moved.ok) return undefined;

  await scheduleCheck(services, moved.promotion, step, 1);
  services.log.info(
    { promotionId: promotion.id, step, deploymentId: promotion.deploymentId },
    "canary step baking",
  );
  await services.queues.add(
    slackCardJob,
    { promotionId: promotion.id, note: { kind: "bake_started", step } },
    `card:${promotion.id}:bake:${step}`,
  );
  return moved.promotion;
}

/** Queues health check `check` (from 1) of a step's bake at its time; repeats add nothing. */
export async function scheduleCheck(
  services: Services,
  promotion: Promotion,
  step: number,
  check: number,
  jobSuffix = "",
): Promise<void> {
  const plan = promotion.canaryPlan;
  if (!plan || !promotion.bakeStartedAt) return;

  const due = Date.parse(promotion.bakeStartedAt) + checkOffsetMs(plan, check);
  await services.queues.add(
    canaryCheckJob,
    { promotionId: promotion.id, step, check },
    `canary-check:${promotion.id}:${step}:${check}${jobSuffix}`,
    { delay: Math.max(0, due - Date.now()) },
  );
}

/**
 * Moves a canary on from a step that passed its bake (or that an approver
 * let through after a pause): to the next step's deployment, or, after the
 * last step, to success with the registry alias moved. Returns false when
 * the step had already moved on.
 */
export async function passStep(
  services: Services,
  promotion: Promotion,
  params: { step: number; phase: StepPhase; actor: string },
): Promise<boolean> {
  const { step, phase } = params;
  const steps = promotion.canaryPlan?.steps ?? [];
  const expect = { canaryStep: step, stepPhase: phase };
  const summary = await summarizeChecks(services, promotion.id, step);
  const note = { kind: "step_passed" as const, step, summary };

  if (step >= steps.length - 1) {
    const done = await succeedPromotion(services, promotion, {
      from: ["canary"],
      expect,
      actor: params.actor,
    });
    if (done) await addNote(services, promotion, note, `passed:${step}`);
    return done !== undefined;
  }

  const moved = await services.store.update({
    id: promotion.id,
    from: ["canary"],
    expect,
    fields: {
      canaryStep: step + 1,
      stepPhase: "deploying",
      stepStartedAt: new Date().toISOString(),
    },
    actor: params.actor,
    action: "canary_step",
  });
  if (!moved.ok) return false;

  services.log.info(
    { promotionId: promotion.id, step, nextStep: step + 1 },
    "canary step passed",
  );
  await addNote(services, promotion, note, `passed:${step}`);
  await services.queues.add(
    deploymentJob,
    { promotionId: promotion.id, step: step + 1 },
    `deploy:${promotion.id}:step:${step + 1}`,
  );
  return true;
}

/**
 * Pauses a canary whose bake ended without a verdict, so an approver
 * decides with the Continue and Roll back buttons on the card.
 */
export async function pauseStep(
  services: Services,
  promotion: Promotion,
  params: { step: number; detail: string },
): Promise<void> {
  const moved = await services.store.update({
    id: promotion.id,
    from: ["canary"],
    expect: { canaryStep: params.step, stepPhase: "baking" },
    fields: { stepPhase: "paused" },
    actor: "gantry",
    action: "canary_paused",
  });
  if (!moved.ok) return;

  services.log.warn(
    { promotionId: promotion.id, step: params.step, detail: params.detail },
    "canary paused: health check inconclusive",
  );
  await addNote(
    services,
    promotion,
    { kind: "paused", step: params.step, detail: params.detail },
    `paused:${params.step}`,
  );
}

async function addNote(
  services: Services,
  promotion: Promotion,
  note: ProgressEvent,
  suffix: string,
): Promise<void> {
  await services.queues.add(
    slackCardJob,
    { promotionId: promotion.id, note },
    `card:${promotion.id}:${suffix}`,
  );
}
