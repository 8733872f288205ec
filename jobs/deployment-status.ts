import { startBake } from "../src/canary/canary-steps.js";
import { GantryError } from "../src/errors.js";
import type { Promotion } from "../src/promotion.js";
import { releaseSlot } from "../src/promotions/active-slot.js";
import { succeedPromotion } from "../src/promotions/succeed-promotion.js";
import type { JobDefinition } from "../src/queues.js";
import { rollBackAutomatically } from "../src/rollback/start-rollback.js";
import type { Services } from "../src/services.js";
import { keys } from "../src/store/keys.js";
import { stepName } from "../templates/canary-notes.js";
import { slackCardJob } from "./slack-card.js";

export type DeploymentStatusData = {
  deliveryId: string;
  deploymentId: number;
  state: string;
  description: string | undefined;
  logUrl: string | undefined;
  /** From the deployment's payload, for deployments created before the link was stored. */
  promotionId: string | undefined;
};

const IN_FLIGHT_STATES = new Set(["queued", "pending", "in_progress"]);
/**
 * How long a status for a deployment not yet recorded waits before it is
 * tried again: while the step's deployment lock is held, up to 2 s more.
 * Jobs wait this way up to four times per try (src/queues.ts), so the
 * default 5 tries outlast the lock's 15 s.
 */
const RECORD_WAIT_MS = 250;
const MAX_LOCK_WAIT_MS = 2_000;
const FAILED_STATES = new Set(["failure", "error"]);

/**
 * Applies a deployment status to its promotion. Only a status of the
 * promotion's current deployment counts. Every move is a compare-and-set
 * from the state that the status is for, so a status that arrives late,
 * twice or out of order never moves a promotion backwards, and one for an
 * earlier canary step's deployment is ignored. On a plain promotion,
 * success moves the registry alias and ends it. On a canary step, success
 * starts the bake and a failure rolls the canary back.
 */
export const deploymentStatusJob: JobDefinition<DeploymentStatusData> = {
  queue: "{deployment-statuses}",
  options: {},

  async process(data, services) {
    const promotion = await findPromotion(services, data);
    if (!promotion) {
      services.log.debug(
        { deploymentId: data.deploymentId },
        "deployment status for a deployment Gantry is not tracking",
      );
      return;
    }
    if (promotion.deploymentId !== data.deploymentId) {
      const pendingStep = stepBeingRecorded(promotion);
      if (pendingStep !== undefined) {
        // GitHub may report a deployment before the job that created it has
        // recorded it. The status waits for that record instead of being
        // dropped, longer while a worker has the step's deployment lock.
        const locked = await services.redis.pttl(
          keys.deploymentLock(promotion.id, pendingStep),
        );
        throw new GantryError(
          "conflict",
          `deployment ${data.deploymentId} of promotion ${promotion.id} is not recorded yet; the status waits for it`,
          {
            retryable: true,
            retryAfterMs:
              Math.min(Math.max(locked, 0), MAX_LOCK_WAIT_MS) + RECORD_WAIT_MS,
          },
        );
      }
      services.log.info(
        {
          promotionId: promotion.id,
          deploymentId: data.deploymentId,
          currentDeploymentId: promotion.deploymentId,
          state: data.state,
        },
        "deployment status ignored: not the promotion's current deployment",
      );
      return;
    }
    if (promotion.canaryPlan) return applyToCanary(services, promotion, data);
    if (promotion.status !== "deploying")
      return ignore(services, promotion, data);

    if (IN_FLIGHT_STATES.has(data.state))
      return note(services, promotion, data);
    if (data.state === "success") return succeed(services, promotion, data);
    if (FAILED_STATES.has(data.state)) return fail(services, promotion, data);
  },

  async giveUp(data, error, services) {
    const promotion = await findPromotion(services, data);
    if (!promotion || promotion.canaryPlan || data.state !== "success") return;

    const moved = await services.store.transition({
      id: promotion.id,
      from: ["deploying"],
      to: "failed",
      actor: "gantry",
      reason: `the deployment succeeded but the registry alias "${promotion.environment}" could not be moved: ${error.message}`,
    });
    if (moved.ok) {
      services.log.error(
        { err: error, promotionId: promotion.id },
        "registry alias could not be moved",
      );
      await releaseSlot(services, moved.promotion);
      await services.queues.add(
        slackCardJob,
        {
          promotionId: promotion.id,
          note: {
            kind: "failed",
            reason: moved.promotion.reason ?? error.message,
          },
        },
        `card:${promotion.id}:alias-failed`,
      );
    }
  },
};

/**
 * Returns the step whose deployment is being created and not yet recorded,
 * so a status of an unknown deployment of the promotion may be for it.
 */
function stepBeingRecorded(promotion: Promotion): number | undefined {
  if (promotion.status === "approved") return 0;
  const creating =
    promotion.status === "canary" &&
    promotion.stepPhase === "deploying" &&
    promotion.deploymentStep !== promotion.canaryStep;
  return creating ? promotion.canaryStep : undefined;
}

async function findPromotion(
  services: Services,
  data: DeploymentStatusData,
): Promise<Promotion | undefined> {
  const linked = await services.store.findByDeployment(data.deploymentId);
  if (linked) return linked;
  return data.promotionId ? services.store.get(data.promotionId) : undefined;
}

function ignore(
  services: Services,
  promotion: Promotion,
  data: DeploymentStatusData,
): void {
  services.log.info(
    {
      promotionId: promotion.id,
      status: promotion.status,
      stepPhase: promotion.stepPhase,
      state: data.state,
    },
    "deployment status ignored: promotion already moved on",
  );
}

/**
 * Applies a status of a canary step's deployment. In-flight states are
 * noted while the step deploys; success starts the bake once; failure or
 * error, even during the bake, rolls back.
 */
async function applyToCanary(
  services: Services,
  promotion: Promotion,
  data: DeploymentStatusData,
): Promise<void> {
  const running =
    promotion.status === "deploying" || promotion.status === "canary";
  const deploying = running && promotion.stepPhase === "deploying";

  if (running && FAILED_STATES.has(data.state)) {
    const description = data.description ? `: ${data.description}` : "";
    await note(services, promotion, data);
    await rollBackAutomatically(services, promotion, {
      expect: {
        canaryStep: promotion.canaryStep,
        stepPhase: promotion.stepPhase,
        deploymentId: promotion.deploymentId,
      },
      reason: `deployment ${data.deploymentId} of canary ${stepName(promotion, promotion.canaryStep ?? 0)} reported ${data.state}${description}`,
    });
    return;
  }
  if (!deploying) return ignore(services, promotion, data);

  if (IN_FLIGHT_STATES.has(data.state)) return note(services, promotion, data);
  if (data.state !== "success") return;
  const baking = await startBake(services, promotion);
  if (baking) await note(services, baking, data);
}

async function note(
  services: Services,
  promotion: Promotion,
  data: DeploymentStatusData,
): Promise<void> {
  await services.queues.add(
    slackCardJob,
    {
      promotionId: promotion.id,
      note: {
        kind: "deployment_status",
        state: data.state,
        description: data.description,
        logUrl: data.logUrl,
      },
    },
    `card:${promotion.id}:status:${data.deliveryId}`,
  );
}

async function succeed(
  services: Services,
  promotion: Promotion,
  data: DeploymentStatusData,
): Promise<void> {
  const done = await succeedPromotion(services, promotion, {
    from: ["deploying"],
    actor: "github",
  });
  if (done) await note(services, done, data);
}

async function fail(
  services: Services,
  promotion: Promotion,
  data: DeploymentStatusData,
): Promise<void> {
  const description = data.description ? `: ${data.description}` : "";
  const moved = await services.store.transition({
    id: promotion.id,
    from: ["deploying"],
    to: "failed",
    actor: "github",
    reason: `deployment ${data.deploymentId} reported ${data.state}${description}`,
  });
  if (!moved.ok) return;

  services.log.warn(
    {
      promotionId: promotion.id,
      deploymentId: data.deploymentId,
      state: data.state,
    },
    "promotion failed",
  );
  await releaseSlot(services, moved.promotion);
  await note(services, moved.promotion, data);
}
