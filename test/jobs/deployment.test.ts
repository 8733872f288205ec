import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deploymentJob } from "../../jobs/deployment.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import type { Promotion } from "../../src/promotion.js";
import type { Services } from "../../src/services.js";
import type { NewPromotion } from "../../src/store/promotion-store.js";
import {
  githubDeployment,
  HEAD_SHA,
  nockCreateDeployment,
  nockGetBranch,
  nockGetRepository,
  nockInstallationToken,
  nockListDeployments,
} from "../helpers/github-api.js";
import { nockGetModelVersion } from "../helpers/mlflow-api.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { INSTALLATION_ID, REPO } from "../helpers/repo-config.js";
import { queuedJobs, testServices } from "../helpers/services.js";

const DEPLOYMENT_ID = 145988746;
const JOB = {} as never;

const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(() => {
  ({ services, close } = testServices(url));
});

afterEach(async () => {
  await close();
});

/** Stores a promotion and moves it to approved, as the last approval does. */
async function approvedPromotion(
  overrides: Partial<NewPromotion> = {},
): Promise<Promotion> {
  const { promotion } = await services.store.create(
    newPromotion(overrides),
    `slack:trigger-${Math.random()}`,
  );
  const moved = await services.store.transition({
    id: promotion.id,
    from: ["pending_approval"],
    to: "approved",
    actor: "U0000002",
  });
  if (!moved.ok) throw new Error("test promotion not approved");
  return moved.promotion;
}

/** Fakes GitHub for a first try: no deployment yet, so one is created. */
function nockFirstDeployment(environment: string, bodies: unknown[]) {
  nockInstallationToken(INSTALLATION_ID);
  nockListDeployments(REPO, environment, []);
  nockGetRepository(REPO);
  nockGetBranch(REPO, "master");
  nockCreateDeployment(REPO, DEPLOYMENT_ID, bodies);
}

describe("deploymentJob", () => {
  it("creates the deployment with the payload contract", async () => {
    const promotion = await approvedPromotion();
    const bodies: unknown[] = [];
    nockFirstDeployment("staging", bodies);

    await deploymentJob.process({ promotionId: promotion.id }, services, JOB);

    expect(bodies).toEqual([
      {
        ref: HEAD_SHA,
        environment: "staging",
        payload: {
          model: "churn",
          version: "42",
          traffic_percent: 100,
          promotion_id: promotion.id,
          rollback: false,
        },
        description: "Gantry: churn 42 to staging",
        auto_merge: false,
        required_contexts: [],
        production_environment: false,
      },
    ]);
  });

  it("moves the promotion to deploying", async () => {
    const promotion = await approvedPromotion();
    nockFirstDeployment("staging", []);

    await deploymentJob.process({ promotionId: promotion.id }, services, JOB);

    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "deploying",
      deploymentId: DEPLOYMENT_ID,
      sha: HEAD_SHA,
      ref: HEAD_SHA,
    });
    expect((await services.store.findByDeployment(DEPLOYMENT_ID))?.id).toBe(
      promotion.id,
    );
    expect(await queuedJobs(services, slackCardJob)).toEqual([
      {
        id: `card.${promotion.id}.deployment.${DEPLOYMENT_ID}`,
        data: {
          promotionId: promotion.id,
          note: {
            kind: "deployment_created",
            deploymentId: DEPLOYMENT_ID,
            sha: HEAD_SHA,
          },
        },
      },
    ]);
  });

  it("marks production deployments", async () => {
    const promotion = await approvedPromotion({ environment: "production" });
    const bodies: { production_environment?: boolean }[] = [];
    nockFirstDeployment("production", bodies);

    await deploymentJob.process({ promotionId: promotion.id }, services, JOB);

    expect(bodies.map((body) => body.production_environment)).toEqual([true]);
  });

  it("reuses the deployment a crashed try created", async () => {
    const promotion = await approvedPromotion();
    nockInstallationToken(INSTALLATION_ID);
    nockListDeployments(REPO, "staging", [
      githubDeployment({
        id: 1001,
        environment: "staging",
        payload: { promotion_id: "prm_someone_else" },
      }),
      githubDeployment({
        id: DEPLOYMENT_ID,
        environment: "staging",
        payload: {
          model: "churn",
          version: "42",
          traffic_percent: 100,
          promotion_id: promotion.id,
          rollback: false,
        },
      }),
    ]);

    await deploymentJob.process({ promotionId: promotion.id }, services, JOB);

    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "deploying",
      deploymentId: DEPLOYMENT_ID,
    });
  });

  it("ignores a promotion that is not approved", async () => {
    const { promotion } = await services.store.create(
      newPromotion(),
      "slack:trigger-pending",
    );

    await deploymentJob.process({ promotionId: promotion.id }, services, JOB);

    expect((await services.store.get(promotion.id))?.status).toBe(
      "pending_approval",
    );
    expect(await queuedJobs(services, slackCardJob)).toEqual([]);
  });

  it("cancels when the version changed after approval", async () => {
    const promotion = await approvedPromotion({
      versionIdentity: "run42|mlflow-artifacts:/1/run42/artifacts/model",
    });
    nockGetModelVersion("churn-model", "42", { runId: "run43" });

    await deploymentJob.process({ promotionId: promotion.id }, services, JOB);

    const cancelled = await services.store.get(promotion.id);
    expect(cancelled?.status).toBe("cancelled");
    expect(cancelled?.reason).toContain(
      "version 42 changed in the model registry after approval",
    );
    expect(cancelled?.deploymentId).toBeUndefined();
    expect(await queuedJobs(services, slackCardJob)).toEqual([
      {
        id: `card.${promotion.id}.version-changed`,
        data: { promotionId: promotion.id },
      },
    ]);
  });

  it("deploys when the version is unchanged", async () => {
    const promotion = await approvedPromotion({
      versionIdentity: "run42|mlflow-artifacts:/1/run42/artifacts/model",
    });
    nockGetModelVersion("churn-model", "42", { runId: "run42" });
    nockFirstDeployment("staging", []);

    await deploymentJob.process({ promotionId: promotion.id }, services, JOB);

    expect((await services.store.get(promotion.id))?.status).toBe("deploying");
  });
});

describe("deploymentJob.giveUp", () => {
  it("ends the promotion failed with the reason", async () => {
    const promotion = await approvedPromotion();

    await deploymentJob.giveUp?.(
      { promotionId: promotion.id },
      new Error("GitHub answered 422: No ref found for: master"),
      services,
    );

    const failed = await services.store.get(promotion.id);
    expect(failed?.status).toBe("failed");
    expect(failed?.reason).toBe(
      "the GitHub deployment could not be created: GitHub answered 422: No ref found for: master",
    );
    expect(await queuedJobs(services, slackCardJob)).toEqual([
      {
        id: `card.${promotion.id}.deployment-failed`,
        data: {
          promotionId: promotion.id,
          note: { kind: "failed", reason: failed?.reason },
        },
      },
    ]);
  });

  it("leaves a deploying promotion alone", async () => {
    const promotion = await approvedPromotion();
    await services.store.transition({
      id: promotion.id,
      from: ["approved"],
      to: "deploying",
      actor: "gantry",
      fields: { deploymentId: DEPLOYMENT_ID },
    });

    await deploymentJob.giveUp?.(
      { promotionId: promotion.id },
      new Error("late failure"),
      services,
    );

    expect((await services.store.get(promotion.id))?.status).toBe("deploying");
    expect(await queuedJobs(services, slackCardJob)).toEqual([]);
  });
});
