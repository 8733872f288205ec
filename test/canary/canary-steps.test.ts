import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canaryCheckJob } from "../../jobs/canary-check.js";
import { deploymentJob } from "../../jobs/deployment.js";
import { deploymentStatusJob } from "../../jobs/deployment-status.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import type { JobDefinition } from "../../src/queues.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import {
  canaryPromotion,
  HEALTH,
  MODEL,
  seedProduction,
} from "../helpers/canary.js";
import {
  HEAD_SHA,
  nockCreateDeployment,
  nockGetBranch,
  nockGetRepository,
  nockInstallationToken,
  nockListDeployments,
} from "../helpers/github-api.js";
import { nockSetAlias } from "../helpers/mlflow-api.js";
import {
  nockQuery,
  PROMETHEUS_URL,
  vectorReply,
} from "../helpers/prometheus-api.js";
import { useRedis } from "../helpers/redis.js";
import { INSTALLATION_ID, REPO } from "../helpers/repo-config.js";
import { queuedJobs, testServices } from "../helpers/services.js";

const JOB = {} as never;
const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ services, close } = testServices(url, { PROMETHEUS_URL }));
  await seedProduction(services);
});

afterEach(async () => {
  await close();
});

async function jobIds<Data>(definition: JobDefinition<Data>) {
  return (await queuedJobs(services, definition)).map((job) => job.id);
}

describe("canary steps", () => {
  it("starts the bake when the step's deployment succeeds", async () => {
    const promotion = await canaryPromotion(services, {
      step: 0,
      phase: "deploying",
    });

    await deploymentStatusJob.process(
      {
        deliveryId: "d-1",
        deploymentId: 9000,
        state: "success",
        description: undefined,
        logUrl: undefined,
        promotionId: promotion.id,
      },
      services,
      JOB,
    );

    const baking = await services.store.get(promotion.id);
    expect(baking).toMatchObject({
      status: "canary",
      canaryStep: 0,
      stepPhase: "baking",
    });
    const [check] = await queuedJobs(services, canaryCheckJob);
    expect(check).toEqual({
      id: `canary-check.${promotion.id}.0.1`,
      data: { promotionId: promotion.id, step: 0, check: 1 },
    });
    const job = await services.queues
      .queue(canaryCheckJob.queue)
      .getJob(check?.id ?? "");
    expect(job?.opts.delay).toBeGreaterThan(900);
    expect(job?.opts.delay).toBeLessThanOrEqual(1000);
  });

  it("queues the next check after a passing one", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });
    nockQuery(HEALTH, 200, vectorReply("0.004"));

    await canaryCheckJob.process(
      { promotionId: promotion.id, step: 1, check: 1 },
      services,
      JOB,
    );

    expect((await services.store.get(promotion.id))?.stepPhase).toBe("baking");
    expect(await jobIds(canaryCheckJob)).toEqual([
      `canary-check.${promotion.id}.1.2`,
    ]);
    expect(
      JSON.parse(
        (await services.redis.hget(keys.canaryChecks(promotion.id), "1:1")) ??
          "{}",
      ),
    ).toMatchObject({ verdict: "pass", values: [0.004] });
  });

  it("moves to the next step after the last check", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });
    nockQuery(HEALTH, 200, vectorReply("0.004"));

    await canaryCheckJob.process(
      { promotionId: promotion.id, step: 1, check: 2 },
      services,
      JOB,
    );

    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "canary",
      canaryStep: 2,
      stepPhase: "deploying",
      deploymentStep: 1,
    });
    expect(await jobIds(deploymentJob)).toEqual([
      `deploy.${promotion.id}.step.2`,
    ]);
    const [note] = await queuedJobs(services, slackCardJob);
    expect(note?.data.note).toEqual({
      kind: "step_passed",
      step: 1,
      summary: {
        checks: 1,
        passed: 1,
        noData: 0,
        last: "healthy: 0.004",
      },
    });
    expect(await services.redis.exists(keys.live(MODEL, "production"))).toBe(1);
    expect(
      await services.redis.hget(keys.live(MODEL, "production"), "version"),
    ).toBe("41");
  });

  it("deploys the next step at its traffic share", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });
    const moved = await services.store.update({
      id: promotion.id,
      from: ["canary"],
      expect: { canaryStep: 1, stepPhase: "baking" },
      fields: { canaryStep: 2, stepPhase: "deploying" },
      actor: "gantry",
    });
    if (!moved.ok) throw new Error("step not moved");
    const bodies: { payload?: unknown }[] = [];
    nockInstallationToken(INSTALLATION_ID);
    nockListDeployments(REPO, "production", []);
    nockGetRepository(REPO);
    nockGetBranch(REPO, "master");
    nockCreateDeployment(REPO, 9002, bodies);

    await deploymentJob.process(
      { promotionId: promotion.id, step: 2 },
      services,
      JOB,
    );

    expect(bodies.map((body) => body.payload)).toEqual([
      {
        model: "churn",
        version: "42",
        traffic_percent: 50,
        promotion_id: promotion.id,
        rollback: false,
      },
    ]);
    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "canary",
      canaryStep: 2,
      stepPhase: "deploying",
      deploymentId: 9002,
      deploymentStep: 2,
      sha: HEAD_SHA,
    });
    expect(await jobIds(slackCardJob)).toEqual([
      `card.${promotion.id}.deployment.9002`,
    ]);
  });

  it("moves the alias only after the last step", async () => {
    const promotion = await canaryPromotion(services, {
      step: 3,
      phase: "baking",
    });
    nockQuery(HEALTH, 200, vectorReply("0.004"));
    const alias = nockSetAlias("churn-model", "production", "42");

    await canaryCheckJob.process(
      { promotionId: promotion.id, step: 3, check: 2 },
      services,
      JOB,
    );

    expect(alias.isDone()).toBe(true);
    expect((await services.store.get(promotion.id))?.status).toBe("succeeded");
    expect(await services.store.live(MODEL, "production")).toEqual({
      version: "42",
    });
    const history = await services.redis.lrange(
      keys.releaseHistory(MODEL, "production"),
      0,
      -1,
    );
    expect(
      history.map(
        (entry) => (JSON.parse(entry) as { version: string }).version,
      ),
    ).toEqual(["41", "42"]);
    expect(
      await services.redis.get(keys.activePromotion(MODEL, "production")),
    ).toBeNull();
  });

  it("ignores a check for a step that moved on", async () => {
    const promotion = await canaryPromotion(services, {
      step: 2,
      phase: "baking",
    });

    await canaryCheckJob.process(
      { promotionId: promotion.id, step: 1, check: 2 },
      services,
      JOB,
    );

    expect(await services.store.get(promotion.id)).toEqual(promotion);
    expect(await jobIds(canaryCheckJob)).toEqual([]);
    expect(await jobIds(deploymentJob)).toEqual([]);
  });
});
