import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canaryCheckJob } from "../../jobs/canary-check.js";
import { canaryTimeoutJob } from "../../jobs/canary-timeout.js";
import { deploymentJob } from "../../jobs/deployment.js";
import { deploymentStatusJob } from "../../jobs/deployment-status.js";
import { rollbackTicketJob } from "../../jobs/rollback-ticket.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import { recordCriticalAlert } from "../../src/alerts/critical-alerts.js";
import type { Promotion } from "../../src/promotion.js";
import { findHold } from "../../src/rollback/hold.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import {
  canaryPromotion,
  HEALTH,
  MODEL,
  seedProduction,
} from "../helpers/canary.js";
import {
  nockQuery,
  PROMETHEUS_URL,
  vectorReply,
} from "../helpers/prometheus-api.js";
import { useRedis } from "../helpers/redis.js";
import { queuedJobs, testServices } from "../helpers/services.js";

const JOB = {} as never;
const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ services, close } = testServices(url, { PROMETHEUS_URL }));
});

afterEach(async () => {
  await close();
});

/** Returns the rollback promotion that replaced a promotion, as stored. */
async function rollbackFor(promotion: Promotion): Promise<Promotion> {
  const replaced = await services.store.get(promotion.id);
  const rollback = replaced?.rolledBackBy
    ? await services.store.get(replaced.rolledBackBy)
    : undefined;
  if (!rollback) throw new Error(`${promotion.id} was not rolled back`);
  return rollback;
}

async function failingCheck(promotion: Promotion): Promise<void> {
  nockQuery(HEALTH, 200, vectorReply());
  nockQuery("error_ratio", 200, vectorReply("0.07"));
  await canaryCheckJob.process(
    { promotionId: promotion.id, step: 1, check: 1 },
    services,
    JOB,
  );
}

describe("canary rollbacks", () => {
  it("rolls back a failed health check", async () => {
    await seedProduction(services, ["40", "41"]);
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });

    await failingCheck(promotion);

    const replaced = await services.store.get(promotion.id);
    const rollback = await rollbackFor(promotion);
    expect(replaced).toMatchObject({
      status: "rolled_back",
      reason:
        "health check 1 of 2 in canary step 2 of 4 (25 %) failed: unhealthy: 0.07, not < 0.02",
    });
    expect(rollback).toMatchObject({
      kind: "rollback",
      status: "approved",
      version: "41",
      championVersion: "42",
      environment: "production",
      requestedBy: "gantry",
      requiredApprovals: 0,
      rollbackOf: promotion.id,
    });
    expect(
      await services.redis.get(keys.activePromotion(MODEL, "production")),
    ).toBe(rollback.id);
    expect(await findHold(services, MODEL, "production")).toMatchObject({
      promotionId: promotion.id,
      version: "42",
      by: "gantry",
    });
    expect(
      (await queuedJobs(services, deploymentJob)).map((j) => j.id),
    ).toEqual([`deploy.${rollback.id}`]);
    expect(
      (await queuedJobs(services, rollbackTicketJob)).map((j) => j.id),
    ).toEqual([`rollback-ticket.${promotion.id}`]);
  });

  it("rolls back on a critical alert", async () => {
    await seedProduction(services);
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });
    await recordCriticalAlert({
      redis: services.redis,
      modelKey: MODEL,
      alert: {
        source: "alertmanager",
        status: "firing",
        fingerprint: "9e8d7c6b5a403f21",
        labels: {
          alertname: "ModelServingHighErrorRate",
          environment: "production",
        },
        annotations: {},
        startsAt: "2024-05-14T09:41:30.000Z",
        endsAt: undefined,
        links: {},
      },
      ticket: undefined,
    });

    await canaryCheckJob.process(
      { promotionId: promotion.id, step: 1, check: 1 },
      services,
      JOB,
    );

    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "rolled_back",
      reason:
        "critical alert ModelServingHighErrorRate fired on churn during the bake of canary step 2 of 4 (25 %)",
    });
    expect((await rollbackFor(promotion)).version).toBe("41");
  });

  it("ignores a critical alert of another environment", async () => {
    await seedProduction(services);
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });
    await recordCriticalAlert({
      redis: services.redis,
      modelKey: MODEL,
      alert: {
        source: "alertmanager",
        status: "firing",
        fingerprint: "staging-only",
        labels: { alertname: "StagingDown", environment: "staging" },
        annotations: {},
        startsAt: "2024-05-14T09:41:30.000Z",
        endsAt: undefined,
        links: {},
      },
      ticket: undefined,
    });
    nockQuery(HEALTH, 200, vectorReply("0.004"));

    await canaryCheckJob.process(
      { promotionId: promotion.id, step: 1, check: 1 },
      services,
      JOB,
    );

    expect((await services.store.get(promotion.id))?.status).toBe("canary");
  });

  it("pauses when the last check finds no data", async () => {
    await seedProduction(services);
    const promotion = await canaryPromotion(services, {
      step: 2,
      phase: "baking",
    });
    nockQuery(HEALTH, 200, vectorReply());
    nockQuery("error_ratio", 200, vectorReply());

    await canaryCheckJob.process(
      { promotionId: promotion.id, step: 2, check: 2 },
      services,
      JOB,
    );

    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "canary",
      canaryStep: 2,
      stepPhase: "paused",
    });
    expect((await queuedJobs(services, slackCardJob))[0]?.data.note).toEqual({
      kind: "paused",
      step: 2,
      detail: "no data: the query returned no samples",
    });
    expect(await queuedJobs(services, deploymentJob)).toEqual([]);
  });

  it("fails without an earlier version to go back to", async () => {
    await seedProduction(services, []);
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });

    await failingCheck(promotion);

    const failed = await services.store.get(promotion.id);
    expect(failed?.status).toBe("failed");
    expect(failed?.reason).toBe(
      "health check 1 of 2 in canary step 2 of 4 (25 %) failed: unhealthy: 0.07, not < 0.02; no earlier version succeeded in production, so there is nothing to roll back to",
    );
    expect(await queuedJobs(services, deploymentJob)).toEqual([]);
    expect(await findHold(services, MODEL, "production")).toMatchObject({
      version: "42",
    });
    expect(
      await services.redis.get(keys.activePromotion(MODEL, "production")),
    ).toBeNull();
  });

  it("rolls back a failed deployment status", async () => {
    await seedProduction(services);
    const promotion = await canaryPromotion(services, {
      step: 2,
      phase: "deploying",
      deploymentId: 9002,
    });

    await deploymentStatusJob.process(
      {
        deliveryId: "d-fail",
        deploymentId: 9002,
        state: "error",
        description: "pods crash-looping",
        logUrl: undefined,
        promotionId: promotion.id,
      },
      services,
      JOB,
    );

    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "rolled_back",
      reason:
        "deployment 9002 of canary step 3 of 4 (50 %) reported error: pods crash-looping",
    });
  });

  it("rolls back a step that outlives its timeout", async () => {
    await seedProduction(services);
    const promotion = await canaryPromotion(services, {
      step: 0,
      phase: "deploying",
    });

    await canaryTimeoutJob.process(
      { promotionId: promotion.id, step: 0 },
      services,
      JOB,
    );

    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "rolled_back",
      reason:
        "canary step 1 of 4 (5 %) did not finish within its step timeout of 20s",
    });
  });

  it("leaves a paused or finished step to its timeout", async () => {
    await seedProduction(services);
    const paused = await canaryPromotion(services, {
      step: 1,
      phase: "paused",
    });

    await canaryTimeoutJob.process(
      { promotionId: paused.id, step: 1 },
      services,
      JOB,
    );
    await canaryTimeoutJob.process(
      { promotionId: paused.id, step: 0 },
      services,
      JOB,
    );

    expect(await services.store.get(paused.id)).toEqual(paused);
  });
});
