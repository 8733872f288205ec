import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canaryCheckJob } from "../../jobs/canary-check.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import {
  deploymentStatusJob,
  type DeploymentStatusData,
} from "../../jobs/deployment-status.js";
import type { Promotion } from "../../src/promotion.js";
import type { Services } from "../../src/services.js";
import { canaryPromotion, seedProduction } from "../helpers/canary.js";
import { useRedis } from "../helpers/redis.js";
import { queuedJobs, testServices } from "../helpers/services.js";

const JOB = {} as never;
const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await seedProduction(services);
});

afterEach(async () => {
  await close();
});

function status(
  promotion: Promotion,
  deploymentId: number,
  state: string,
  deliveryId = `d-${Math.random()}`,
): DeploymentStatusData {
  return {
    deliveryId,
    deploymentId,
    state,
    description: undefined,
    logUrl: undefined,
    promotionId: promotion.id,
  };
}

async function apply(data: DeploymentStatusData): Promise<void> {
  await deploymentStatusJob.process(data, services, JOB);
}

describe("canary deployment statuses", () => {
  it("ignores a failure of an earlier step's deployment", async () => {
    const promotion = await canaryPromotion(services, {
      step: 2,
      phase: "baking",
      deploymentId: 9002,
    });
    await services.store.linkDeployment(9001, promotion.id);

    await apply(status(promotion, 9001, "failure"));
    await apply(status(promotion, 9001, "success"));

    expect(await services.store.get(promotion.id)).toEqual(promotion);
  });

  it("starts the bake once for a repeated success", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "deploying",
      deploymentId: 9001,
    });

    await apply(status(promotion, 9001, "success", "d-first"));
    const baking = await services.store.get(promotion.id);
    await apply(status(promotion, 9001, "success", "d-again"));

    expect(baking?.stepPhase).toBe("baking");
    expect(await services.store.get(promotion.id)).toEqual(baking);
    expect(await queuedJobs(services, canaryCheckJob)).toHaveLength(1);
  });

  it("ignores in_progress once the bake started", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
      deploymentId: 9001,
    });

    await apply(status(promotion, 9001, "in_progress"));
    await apply(status(promotion, 9001, "queued"));

    expect(await services.store.get(promotion.id)).toEqual(promotion);
    expect(await queuedJobs(services, slackCardJob)).toEqual([]);
  });

  it("ignores statuses after the canary ended", async () => {
    const promotion = await canaryPromotion(services, {
      step: 3,
      phase: "baking",
      deploymentId: 9003,
    });
    const ended = await services.store.update({
      id: promotion.id,
      from: ["canary"],
      to: "failed",
      actor: "gantry",
      reason: "ended for the test",
    });
    if (!ended.ok) throw new Error("not ended");

    await apply(status(promotion, 9003, "failure"));
    await apply(status(promotion, 9003, "success"));

    expect(await services.store.get(promotion.id)).toEqual(ended.promotion);
  });

  it("waits for a deployment not yet recorded", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
      deploymentId: 9001,
    });
    const moved = await services.store.update({
      id: promotion.id,
      from: ["canary"],
      fields: { canaryStep: 2, stepPhase: "deploying" },
      actor: "gantry",
    });
    if (!moved.ok) throw new Error("not moved");

    const run = apply(status(promotion, 9002, "success"));

    await expect(run).rejects.toMatchObject({
      code: "conflict",
      retryable: true,
      retryAfterMs: 250,
    });
    expect(await services.store.get(promotion.id)).toEqual(moved.promotion);
  });
});
