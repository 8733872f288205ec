import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canaryCheckJob } from "../../jobs/canary-check.js";
import { canaryTimeoutJob } from "../../jobs/canary-timeout.js";
import { deploymentJob } from "../../jobs/deployment.js";
import { reconcile } from "../../jobs/reconcile.js";
import { claimSlot } from "../../src/promotions/active-slot.js";
import type { JobDefinition } from "../../src/queues.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { canaryPromotion, MODEL, seedProduction } from "../helpers/canary.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { queuedJobs, testServices } from "../helpers/services.js";

const RUN = { runId: "start-1", staleAfterMs: 0 };
const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await seedProduction(services, ["41"]);
});

afterEach(async () => {
  await close();
});

async function ids<Data>(definition: JobDefinition<Data>) {
  return (await queuedJobs(services, definition)).map((job) => job.id);
}

describe("reconcile at start", () => {
  it("queues a health check that a crash lost", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });

    await reconcile(services, RUN);

    expect(await ids(canaryCheckJob)).toEqual([
      `canary-check.${promotion.id}.1.1`,
    ]);
    expect(await ids(canaryTimeoutJob)).toEqual([
      `canary-timeout.${promotion.id}.1`,
    ]);
  });

  it("queues an overdue check under a new id", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
      bakeStartedAt: new Date(Date.now() - 10_000).toISOString(),
    });
    await services.redis.hset(
      keys.canaryChecks(promotion.id),
      "1:1",
      JSON.stringify({ verdict: "pass", values: [0.004], detail: "", at: "" }),
    );

    await reconcile(services, RUN);

    expect(await ids(canaryCheckJob)).toEqual([
      `canary-check.${promotion.id}.1.2.start-1`,
    ]);
  });

  it("queues the deployment of a step a crash left", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });
    await services.store.update({
      id: promotion.id,
      from: ["canary"],
      fields: { canaryStep: 2, stepPhase: "deploying" },
      actor: "gantry",
    });

    await reconcile(services, RUN);

    expect(await ids(deploymentJob)).toEqual([
      `deploy.${promotion.id}.step.2.start-1`,
    ]);
  });

  it("leaves a recent step alone on a scheduled run", async () => {
    const promotion = await canaryPromotion(services, {
      step: 1,
      phase: "baking",
    });
    await services.store.update({
      id: promotion.id,
      from: ["canary"],
      fields: { canaryStep: 2, stepPhase: "deploying" },
      actor: "gantry",
    });

    await reconcile(services, { runId: "tick-1", staleAfterMs: 60_000 });

    expect(await ids(deploymentJob)).toEqual([]);
  });

  it("finishes a rollback a crash interrupted", async () => {
    const canary = await canaryPromotion(services, {
      step: 2,
      phase: "baking",
    });
    const { promotion: rollback } = await services.store.create(
      newPromotion({
        environment: "production",
        version: "41",
        requestedBy: "gantry",
        requiredApprovals: 0,
        kind: "rollback",
        rollbackOf: canary.id,
        reason: "health check failed",
        championVersion: "42",
      }),
      `rollback:${canary.id}`,
    );
    await services.store.setFields(rollback.id, {
      updatedAt: new Date(Date.now() - 60_000).toISOString(),
    });

    await reconcile(services, RUN);

    expect(await services.store.get(canary.id)).toMatchObject({
      status: "rolled_back",
      rolledBackBy: rollback.id,
    });
    expect((await services.store.get(rollback.id))?.status).toBe("approved");
    expect(await ids(deploymentJob)).toEqual([`deploy.${rollback.id}`]);
  });

  it("starts the next promotion when the active one ended", async () => {
    const ended = await canaryPromotion(services, {
      step: 3,
      phase: "baking",
    });
    await services.store.update({
      id: ended.id,
      from: ["canary"],
      to: "failed",
      actor: "gantry",
    });
    const { promotion: waiting } = await services.store.create(
      newPromotion({ environment: "production", version: "43" }),
      "slack:waiting",
    );
    await services.store.transition({
      id: waiting.id,
      from: ["pending_approval"],
      to: "approved",
      actor: "U0RELMGR",
    });
    await services.store.setFields(waiting.id, { messageTs: "1.2" });
    await claimSlot(services, waiting);

    await reconcile(services, { runId: "tick-1", staleAfterMs: 60_000 });

    expect(
      await services.redis.get(keys.activePromotion(MODEL, "production")),
    ).toBe(waiting.id);
    expect(await ids(deploymentJob)).toEqual([`deploy.${waiting.id}.start`]);
  });
});
