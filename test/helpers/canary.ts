import type { CanaryPlan, Promotion, StepPhase } from "../../src/promotion.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { newPromotion } from "./promotions.js";
import { REPO, SAMPLE_CONFIG, storeSampleConfig } from "./repo-config.js";

export const MODEL = `${REPO}:churn`;
export const HEALTH = "error_ratio < 0.02";

/** The sample configuration with a short production bake and a health query. */
export const CANARY_CONFIG = SAMPLE_CONFIG.replace(
  "    bake: 10m\n",
  `    bake: 2s\n    health_interval: 1s\n    step_timeout: 20s\n    health: '${HEALTH}'\n`,
);

export const PLAN: CanaryPlan = {
  steps: [5, 25, 50, 100],
  bakeMs: 2000,
  intervalMs: 1000,
  stepTimeoutMs: 20_000,
  health: HEALTH,
};

/** Stores CANARY_CONFIG and records that `versions` went live in production in turn. */
export async function seedProduction(
  services: Services,
  versions: readonly string[] = ["41"],
): Promise<void> {
  await storeSampleConfig(services.registry, { text: CANARY_CONFIG });
  const at = "2024-05-01T00:00:00.000Z";
  for (const version of versions) {
    await services.redis.rpush(
      keys.releaseHistory(MODEL, "production"),
      JSON.stringify({ version, promotionId: `prm_seed${version}`, at }),
    );
  }
  const live = versions.at(-1);
  if (live) {
    await services.redis.hset(keys.live(MODEL, "production"), {
      version: live,
      promotionId: `prm_seed${live}`,
      at,
    });
  }
}

/**
 * Stores churn 42's production canary at `step` in `phase`, with the step's
 * deployment recorded and linked, as the active promotion of production.
 */
export async function canaryPromotion(
  services: Services,
  params: {
    step: number;
    phase: StepPhase;
    deploymentId?: number;
    bakeStartedAt?: string;
  },
): Promise<Promotion> {
  const deploymentId = params.deploymentId ?? 9000 + params.step;
  const { promotion } = await services.store.create(
    newPromotion({
      environment: "production",
      requiredApprovals: 1,
      approvers: ["U0RELMGR"],
      canaryPlan: PLAN,
    }),
    `slack:canary-${Math.random()}`,
  );
  await services.store.transition({
    id: promotion.id,
    from: ["pending_approval"],
    to: "approved",
    actor: "U0RELMGR",
  });
  const now = new Date().toISOString();
  const moved = await services.store.transition({
    id: promotion.id,
    from: ["approved"],
    to: "deploying",
    actor: "gantry",
    fields: {
      deploymentId,
      deploymentStep: params.step,
      canaryStep: params.step,
      stepPhase: params.phase,
      stepStartedAt: now,
      ...(params.phase === "deploying"
        ? {}
        : { bakeStartedAt: params.bakeStartedAt ?? now }),
    },
  });
  if (!moved.ok) throw new Error("test canary not deploying");
  await services.store.linkDeployment(deploymentId, promotion.id);
  await services.redis.set(
    keys.activePromotion(MODEL, "production"),
    promotion.id,
  );
  if (params.step === 0 && params.phase === "deploying") return moved.promotion;

  const canary = await services.store.update({
    id: promotion.id,
    from: ["deploying"],
    to: "canary",
    actor: "gantry",
  });
  if (!canary.ok) throw new Error("test canary not in canary");
  return canary.promotion;
}
