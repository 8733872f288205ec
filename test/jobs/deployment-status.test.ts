import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  deploymentStatusJob,
  type DeploymentStatusData,
} from "../../jobs/deployment-status.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import type { Promotion } from "../../src/promotion.js";
import type { Services } from "../../src/services.js";
import { readJsonFixture } from "../../scripts/fixtures.js";
import { nockSetAlias } from "../helpers/mlflow-api.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { queuedJobs, testServices } from "../helpers/services.js";
import { MLFLOW_URL } from "../helpers/settings.js";

type StatusFixture = {
  deployment: { id: number };
  deployment_status: {
    state: string;
    description: string | null;
    log_url?: string | null;
    target_url?: string | null;
  };
};

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

/** The job data the webhook handler queues for a published example status. */
function statusData(
  state: "success" | "failure" | "in_progress",
  deliveryId: string,
  promotionId?: string,
): DeploymentStatusData {
  const event = readJsonFixture<StatusFixture>(
    `github/deployment_status.created.${state}.json`,
  );
  const status = event.deployment_status;
  return {
    deliveryId,
    deploymentId: event.deployment.id,
    state: status.state,
    description: status.description ?? undefined,
    logUrl: status.log_url ?? status.target_url ?? undefined,
    promotionId,
  };
}

/**
 * Stores a promotion that Gantry deployed as the fixtures' deployment, with
 * the deployment linked to it unless `link` is false.
 */
async function deployingPromotion(link = true): Promise<Promotion> {
  const deploymentId = statusData("success", "setup").deploymentId;
  const { promotion } = await services.store.create(
    newPromotion({ requiredApprovals: 0 }),
    "slack:trigger-status",
  );
  await services.store.transition({
    id: promotion.id,
    from: ["pending_approval"],
    to: "approved",
    actor: "gantry",
  });
  if (link) await services.store.linkDeployment(deploymentId, promotion.id);
  const moved = await services.store.transition({
    id: promotion.id,
    from: ["approved"],
    to: "deploying",
    actor: "gantry",
    fields: { deploymentId },
  });
  if (!moved.ok) throw new Error("test promotion not deploying");
  return moved.promotion;
}

describe("deploymentStatusJob", () => {
  it("moves the alias, then succeeds", async () => {
    const promotion = await deployingPromotion();
    const alias = nockSetAlias("churn-model", "staging", "42");

    await deploymentStatusJob.process(
      statusData("success", "delivery-1"),
      services,
      JOB,
    );

    expect(alias.isDone()).toBe(true);
    expect((await services.store.get(promotion.id))?.status).toBe("succeeded");
    expect(await services.store.live(promotion.model, "staging")).toEqual({
      version: "42",
    });
    expect(await queuedJobs(services, slackCardJob)).toEqual([
      {
        id: `card.${promotion.id}.alias`,
        data: {
          promotionId: promotion.id,
          note: { kind: "alias_moved", alias: "staging" },
        },
      },
      {
        id: `card.${promotion.id}.status.delivery-1`,
        data: {
          promotionId: promotion.id,
          note: {
            kind: "deployment_status",
            state: "success",
            description: "",
            logUrl: "",
          },
        },
      },
    ]);
  });

  it("stays deploying when the alias cannot move", async () => {
    const promotion = await deployingPromotion();
    nock(MLFLOW_URL)
      .post("/api/2.0/mlflow/registered-models/alias")
      .reply(503, "Service Unavailable");

    const run = deploymentStatusJob.process(
      statusData("success", "delivery-1"),
      services,
      JOB,
    );

    await expect(run).rejects.toMatchObject({
      code: "upstream_unavailable",
      retryable: true,
    });
    expect((await services.store.get(promotion.id))?.status).toBe("deploying");
    expect(await queuedJobs(services, slackCardJob)).toEqual([]);
  });

  it("fails on a failure status", async () => {
    const promotion = await deployingPromotion();

    await deploymentStatusJob.process(
      statusData("failure", "delivery-2"),
      services,
      JOB,
    );

    const failed = await services.store.get(promotion.id);
    expect(failed?.status).toBe("failed");
    expect(failed?.reason).toBe(
      "deployment 145988746 reported failure: Canary error rate above threshold",
    );
    expect(await services.store.live(promotion.model, "staging")).toBe(
      undefined,
    );
    expect(await queuedJobs(services, slackCardJob)).toEqual([
      {
        id: `card.${promotion.id}.status.delivery-2`,
        data: {
          promotionId: promotion.id,
          note: {
            kind: "deployment_status",
            state: "failure",
            description: "Canary error rate above threshold",
            logUrl: "",
          },
        },
      },
    ]);
  });

  it("notes an in-progress status", async () => {
    const promotion = await deployingPromotion();

    await deploymentStatusJob.process(
      statusData("in_progress", "delivery-3"),
      services,
      JOB,
    );

    expect((await services.store.get(promotion.id))?.status).toBe("deploying");
    expect(await queuedJobs(services, slackCardJob)).toEqual([
      {
        id: `card.${promotion.id}.status.delivery-3`,
        data: {
          promotionId: promotion.id,
          note: {
            kind: "deployment_status",
            state: "in_progress",
            description: "",
            logUrl:
              "https://github.com/CorsixTH/CorsixTH/runs/4687056418?check_suite_focus=true",
          },
        },
      },
    ]);
  });

  it("ignores statuses after success", async () => {
    const promotion = await deployingPromotion();
    nockSetAlias("churn-model", "staging", "42");
    await deploymentStatusJob.process(
      statusData("success", "delivery-1"),
      services,
      JOB,
    );
    const succeeded = await services.store.get(promotion.id);
    const cards = await queuedJobs(services, slackCardJob);

    await deploymentStatusJob.process(
      statusData("in_progress", "delivery-4"),
      services,
      JOB,
    );
    await deploymentStatusJob.process(
      statusData("success", "delivery-5"),
      services,
      JOB,
    );
    await deploymentStatusJob.process(
      statusData("failure", "delivery-6"),
      services,
      JOB,
    );

    expect(await services.store.get(promotion.id)).toEqual(succeeded);
    expect(await queuedJobs(services, slackCardJob)).toEqual(cards);
  });

  it("ignores an unknown deployment", async () => {
    const promotion = await deployingPromotion();

    await deploymentStatusJob.process(
      { ...statusData("success", "delivery-7"), deploymentId: 99 },
      services,
      JOB,
    );

    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "deploying",
      rev: promotion.rev,
    });
    expect(await queuedJobs(services, slackCardJob)).toEqual([]);
  });

  it("finds the promotion by the payload's id", async () => {
    const promotion = await deployingPromotion(false);

    await deploymentStatusJob.process(
      statusData("failure", "delivery-8", promotion.id),
      services,
      JOB,
    );

    expect((await services.store.get(promotion.id))?.status).toBe("failed");
  });
});

describe("deploymentStatusJob.giveUp", () => {
  it("fails a success whose alias never moved", async () => {
    const promotion = await deployingPromotion();

    await deploymentStatusJob.giveUp?.(
      statusData("success", "delivery-1"),
      new Error("MLflow answered 503 to POST registered-models/alias"),
      services,
    );

    const failed = await services.store.get(promotion.id);
    expect(failed?.status).toBe("failed");
    expect(failed?.reason).toBe(
      'the deployment succeeded but the registry alias "staging" could not be moved: MLflow answered 503 to POST registered-models/alias',
    );
    expect(await queuedJobs(services, slackCardJob)).toEqual([
      {
        id: `card.${promotion.id}.alias-failed`,
        data: {
          promotionId: promotion.id,
          note: { kind: "failed", reason: failed?.reason },
        },
      },
    ]);
  });

  it("ignores a status that is not success", async () => {
    const promotion = await deployingPromotion();

    await deploymentStatusJob.giveUp?.(
      statusData("failure", "delivery-2"),
      new Error("redis went away"),
      services,
    );

    expect((await services.store.get(promotion.id))?.status).toBe("deploying");
  });
});
