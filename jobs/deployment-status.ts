import type { JobDefinition } from "../src/queues.js";
import type { Promotion } from "../src/promotion.js";
import type { Services } from "../src/services.js";
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
const FAILED_STATES = new Set(["failure", "error"]);

/**
 * Applies a deployment status to its promotion. Only `deploying` moves, so a
 * status that arrives late, twice or out of order never moves a promotion
 * backwards. Success first moves the registry alias, then ends the promotion.
 */
export const deploymentStatusJob: JobDefinition<DeploymentStatusData> = {
  queue: "{deployment-statuses}",
  options: {},

  async process(data, services) {
    const promotion = await findPromotion(services, data);
    if (!promotion || promotion.deploymentId !== data.deploymentId) {
      services.log.debug(
        { deploymentId: data.deploymentId },
        "deployment status for a deployment Gantry is not tracking",
      );
      return;
    }
    if (promotion.status !== "deploying") {
      services.log.info(
        {
          promotionId: promotion.id,
          status: promotion.status,
          state: data.state,
        },
        "deployment status ignored: promotion already moved on",
      );
      return;
    }

    if (IN_FLIGHT_STATES.has(data.state))
      return note(services, promotion, data);
    if (data.state === "success") return succeed(services, promotion, data);
    if (FAILED_STATES.has(data.state)) return fail(services, promotion, data);
  },

  async giveUp(data, error, services) {
    const promotion = await findPromotion(services, data);
    if (!promotion || data.state !== "success") return;

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

async function findPromotion(
  services: Services,
  data: DeploymentStatusData,
): Promise<Promotion | undefined> {
  const linked = await services.store.findByDeployment(data.deploymentId);
  if (linked) return linked;
  return data.promotionId ? services.store.get(data.promotionId) : undefined;
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
  await services.mlflow.setAlias(
    promotion.registryName,
    promotion.environment,
    promotion.version,
  );

  const moved = await services.store.transition({
    id: promotion.id,
    from: ["deploying"],
    to: "succeeded",
    actor: "github",
    reason: "",
  });
  if (!moved.ok) return;

  await services.store.recordLive(moved.promotion);
  services.log.info(
    { promotionId: promotion.id, deploymentId: data.deploymentId },
    "promotion succeeded",
  );
  await note(services, moved.promotion, data);
  await services.queues.add(
    slackCardJob,
    {
      promotionId: promotion.id,
      note: { kind: "alias_moved", alias: promotion.environment },
    },
    `card:${promotion.id}:alias`,
  );
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
  await note(services, moved.promotion, data);
}
