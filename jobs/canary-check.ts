import { criticalAlertsFor } from "../src/canary/bake-alerts.js";
import { checkCount } from "../src/canary/canary-plan.js";
import {
  passStep,
  pauseStep,
  scheduleCheck,
} from "../src/canary/canary-steps.js";
import { recordCheck } from "../src/canary/check-results.js";
import {
  evaluateHealth,
  type HealthResult,
} from "../src/canary/health-check.js";
import type { Promotion } from "../src/promotion.js";
import type { JobDefinition } from "../src/queues.js";
import { rollBackAutomatically } from "../src/rollback/start-rollback.js";
import type { Services } from "../src/services.js";
import { stepName } from "../templates/canary-notes.js";
import { slackCardJob } from "./slack-card.js";

export type CanaryCheckData = {
  promotionId: string;
  step: number;
  /** The number of the check in the step's bake, counted from 1. */
  check: number;
};

/**
 * Runs one health check of a canary step's bake. A critical alert on the
 * model or a failed health query rolls back at once. Otherwise the next
 * check is queued one interval later as a delayed job, so a restart resumes
 * the bake. After the last check the step passes, or it pauses for an
 * approver when that check found no data. A check for a step that is no
 * longer baking changes nothing.
 */
export const canaryCheckJob: JobDefinition<CanaryCheckData> = {
  queue: "{canary-checks}",
  options: {},

  async process(data, services) {
    const promotion = await services.store.get(data.promotionId);
    if (!promotion?.canaryPlan || !baking(promotion, data.step)) {
      services.log.debug(
        { promotionId: data.promotionId, step: data.step, check: data.check },
        "canary check for a step that is not baking",
      );
      return;
    }
    const expect = { canaryStep: data.step, stepPhase: "baking" as const };
    const step = stepName(promotion, data.step);

    const alerts = await criticalAlertsFor(services, promotion);
    if (alerts.length > 0) {
      const names = alerts.map((alert) => alert.alertname).join(", ");
      await rollBackAutomatically(services, promotion, {
        expect,
        reason: `critical alert ${names} fired on ${promotion.modelName} during the bake of canary ${step}`,
      });
      return;
    }

    const health = await checkHealth(services, promotion, data);
    const checks = checkCount(promotion.canaryPlan);
    if (health.verdict === "fail") {
      await rollBackAutomatically(services, promotion, {
        expect,
        reason: `health check ${data.check} of ${checks} in canary ${step} failed: ${health.detail}`,
      });
      return;
    }

    if (data.check < checks) {
      if (health.verdict === "no_data") {
        await services.queues.add(
          slackCardJob,
          {
            promotionId: promotion.id,
            note: {
              kind: "health_no_data",
              step: data.step,
              check: data.check,
              checks,
              detail: health.detail,
            },
          },
          `card:${promotion.id}:no-data:${data.step}:${data.check}`,
        );
      }
      await scheduleCheck(services, promotion, data.step, data.check + 1);
      return;
    }

    if (health.verdict === "no_data") {
      await pauseStep(services, promotion, {
        step: data.step,
        detail: health.detail,
      });
      return;
    }
    await passStep(services, promotion, {
      step: data.step,
      phase: "baking",
      actor: "gantry",
    });
  },

  async giveUp(data, error, services) {
    const promotion = await services.store.get(data.promotionId);
    if (!promotion || !baking(promotion, data.step)) return;

    await rollBackAutomatically(services, promotion, {
      expect: { canaryStep: data.step, stepPhase: "baking" },
      reason: `the bake of canary ${stepName(promotion, data.step)} could not be finished: ${error.message}`,
    });
  },
};

function baking(promotion: Promotion, step: number): boolean {
  return (
    promotion.status === "canary" &&
    promotion.canaryStep === step &&
    promotion.stepPhase === "baking"
  );
}

/** Evaluates the environment's health query (a pass when there is none) and records the result. */
async function checkHealth(
  services: Services,
  promotion: Promotion,
  data: CanaryCheckData,
): Promise<HealthResult> {
  const query = promotion.canaryPlan?.health;
  const health: HealthResult = query
    ? await evaluateHealth({
        prometheusUrl: services.settings.prometheusUrl,
        query,
      })
    : { verdict: "pass", values: [], detail: "no health query configured" };
  await recordCheck(services, data, health);

  services.log.info(
    {
      promotionId: promotion.id,
      step: data.step,
      check: data.check,
      verdict: health.verdict,
      values: health.values,
    },
    "canary health check",
  );
  return health;
}
