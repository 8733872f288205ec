import type { Promotion } from "../src/promotion.js";
import { claimSlot, releaseSlot } from "../src/promotions/active-slot.js";
import { withDeploymentLock } from "../src/promotions/deployment-lock.js";
import {
  createDeployment,
  findDeployment,
  type CreatedDeployment,
} from "../src/promotions/github-deployment.js";
import { changedIdentity } from "../src/promotions/version-identity.js";
import type { JobDefinition } from "../src/queues.js";
import { rollBackAutomatically } from "../src/rollback/start-rollback.js";
import type { Services } from "../src/services.js";
import { scheduleStepTimeout } from "./canary-timeout.js";
import { slackCardJob } from "./slack-card.js";

export type { DeploymentPayload } from "../src/promotions/github-deployment.js";

export type DeploymentData = {
  promotionId: string;
  /** The canary step to deploy (0 for the first); unset for the first or only deployment. */
  step?: number;
};

/**
 * Creates the GitHub deployment of a promotion's step at the head of the
 * default branch. The first step takes the model's one active slot in the
 * environment, or waits in the queue behind the active promotion. A retry
 * after a crash finds the deployment it already created by the promotion
 * id and traffic share in its payload, so none is created twice.
 */
export const deploymentJob: JobDefinition<DeploymentData> = {
  queue: "{deployments}",
  options: {},

  async process(data, services) {
    const step = data.step ?? 0;
    const promotion = await services.store.get(data.promotionId);
    if (!promotion || !awaitsDeployment(promotion, step)) {
      services.log.debug(
        { promotionId: data.promotionId, step, status: promotion?.status },
        "promotion not awaiting deployment",
      );
      return;
    }

    if (step === 0) {
      const claim = await claimSlot(services, promotion);
      if (claim.state === "waiting") {
        services.log.info(
          {
            promotionId: promotion.id,
            activePromotionId: claim.holder,
            position: claim.position,
          },
          "promotion waits for the active promotion",
        );
        await services.queues.add(
          slackCardJob,
          { promotionId: promotion.id },
          `card:${promotion.id}:waiting:${claim.holder}`,
        );
        return;
      }
      if (!(await stillTheApprovedVersion(services, promotion))) return;
    }

    await withDeploymentLock(
      services,
      { promotionId: promotion.id, step },
      () => deployStep(services, promotion, step),
    );
  },

  async giveUp(data, error, services) {
    const step = data.step ?? 0;
    const promotion = await services.store.get(data.promotionId);
    if (step > 0 && promotion && awaitsDeployment(promotion, step)) {
      await rollBackAutomatically(services, promotion, {
        expect: { canaryStep: step, stepPhase: "deploying" },
        reason: `the GitHub deployment of canary step ${step + 1} could not be created: ${error.message}`,
      });
      return;
    }

    const moved = await services.store.transition({
      id: data.promotionId,
      from: ["approved"],
      to: "failed",
      actor: "gantry",
      reason: `the GitHub deployment could not be created: ${error.message}`,
    });
    if (!moved.ok) return;

    services.log.error(
      { err: error, promotionId: data.promotionId },
      "deployment could not be created",
    );
    await releaseSlot(services, moved.promotion);
    await services.queues.add(
      slackCardJob,
      {
        promotionId: data.promotionId,
        note: {
          kind: "failed",
          reason: moved.promotion.reason ?? error.message,
        },
      },
      `card:${data.promotionId}:deployment-failed`,
    );
  },
};

/**
 * Returns true when the promotion needs the deployment of `step`: the
 * first while it is approved, a later canary step while that step is
 * deploying and has no deployment yet.
 */
function awaitsDeployment(promotion: Promotion, step: number): boolean {
  if (step === 0) return promotion.status === "approved";
  return (
    promotion.status === "canary" &&
    promotion.canaryStep === step &&
    promotion.stepPhase === "deploying" &&
    promotion.deploymentStep !== step
  );
}

/**
 * Finds or creates the step's deployment, links it to the promotion and
 * records it on the promotion. The record is a compare-and-set, so a
 * promotion that moved on meanwhile is left alone.
 */
async function deployStep(
  services: Services,
  promotion: Promotion,
  step: number,
): Promise<void> {
  const plan = promotion.canaryPlan;
  const percent = plan?.steps[step] ?? 100;
  const octokit = await services.github(promotion.installationId);
  const deployment =
    (await findDeployment(octokit, promotion, percent)) ??
    (await createDeployment(octokit, promotion, percent));
  await services.store.linkDeployment(deployment.id, promotion.id);

  const moved = await recordDeployment(services, promotion, step, deployment);
  if (!moved) return;

  services.log.info(
    {
      promotionId: promotion.id,
      deploymentId: deployment.id,
      sha: deployment.sha,
      ...(plan ? { step, trafficPercent: percent } : {}),
    },
    "deployment created",
  );
  if (plan) await scheduleStepTimeout(services, moved, step);
  await services.queues.add(
    slackCardJob,
    {
      promotionId: promotion.id,
      note: plan
        ? {
            kind: "canary_deployment_created",
            deploymentId: deployment.id,
            sha: deployment.sha,
            step,
          }
        : {
            kind: "deployment_created",
            deploymentId: deployment.id,
            sha: deployment.sha,
          },
    },
    `card:${promotion.id}:deployment:${deployment.id}`,
  );
}

async function recordDeployment(
  services: Services,
  promotion: Promotion,
  step: number,
  deployment: CreatedDeployment,
): Promise<Promotion | undefined> {
  const fields = {
    deploymentId: deployment.id,
    sha: deployment.sha,
    ref: deployment.ref,
  };
  if (step > 0) {
    const moved = await services.store.update({
      id: promotion.id,
      from: ["canary"],
      expect: {
        canaryStep: step,
        stepPhase: "deploying",
        deploymentStep: promotion.deploymentStep,
      },
      fields: { ...fields, deploymentStep: step },
      actor: "gantry",
      action: "canary_deployment",
    });
    return moved.ok ? moved.promotion : undefined;
  }

  const canary = promotion.canaryPlan
    ? {
        canaryStep: 0,
        deploymentStep: 0,
        stepPhase: "deploying" as const,
        stepStartedAt: new Date().toISOString(),
      }
    : {};
  const moved = await services.store.transition({
    id: promotion.id,
    from: ["approved"],
    to: "deploying",
    actor: "gantry",
    fields: { ...fields, ...canary },
  });
  return moved.ok ? moved.promotion : undefined;
}

/**
 * Cancels the promotion when the registry's record of its version changed
 * after approval: the approvals were given for another model.
 */
async function stillTheApprovedVersion(
  services: Services,
  promotion: Promotion,
): Promise<boolean> {
  const identity = await changedIdentity(services, promotion);
  if (identity === undefined) return true;

  const moved = await services.store.transition({
    id: promotion.id,
    from: ["approved"],
    to: "cancelled",
    actor: "gantry",
    reason: `version ${promotion.version} changed in the model registry after approval (was ${promotion.versionIdentity}, now ${identity}); the approvals are void, so request it again`,
  });
  if (moved.ok) {
    services.log.warn(
      { promotionId: promotion.id },
      "version changed after approval; promotion cancelled",
    );
    await releaseSlot(services, moved.promotion);
    await services.queues.add(
      slackCardJob,
      { promotionId: promotion.id },
      `card:${promotion.id}:version-changed`,
    );
  }
  return false;
}
