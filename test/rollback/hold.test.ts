import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deploymentJob } from "../../jobs/deployment.js";
import { deploymentStatusJob } from "../../jobs/deployment-status.js";
import type { ModelEntry } from "../../src/config/config-registry.js";
import type { Promotion } from "../../src/promotion.js";
import { claimSlot, releaseSlot } from "../../src/promotions/active-slot.js";
import { openPromotion } from "../../src/promotions/open-promotion.js";
import { findHold, holdEnvironment, isHeld } from "../../src/rollback/hold.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { MODEL, seedProduction } from "../helpers/canary.js";
import { nockSetAlias } from "../helpers/mlflow-api.js";
import {
  nockAlias,
  nockGetVersion,
  nockRunMetrics,
} from "../helpers/mlflow-nock.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { queuedJobs, testServices } from "../helpers/services.js";

const JOB = {} as never;
const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;
let entry: ModelEntry;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await seedProduction(services, ["41", "42"]);
  const found = await services.registry.entry(MODEL);
  if (!found) throw new Error("test model not indexed");
  entry = found;
  await holdEnvironment(services, {
    model: MODEL,
    environment: "production",
    promotionId: "prm_rolledback43",
    version: "43",
    actor: "gantry",
    reason: "health check failed",
  });
});

afterEach(async () => {
  await close();
});

/** Stores an approved promotion of churn `version` to production, asked for by `requestedBy`. */
async function approved(
  version: string,
  requestedBy: string,
): Promise<Promotion> {
  const { promotion } = await services.store.create(
    newPromotion({ environment: "production", version, requestedBy }),
    `slack:hold-${version}-${requestedBy}`,
  );
  const moved = await services.store.transition({
    id: promotion.id,
    from: ["pending_approval"],
    to: "approved",
    actor: "U0RELMGR",
  });
  if (!moved.ok) throw new Error("not approved");
  return moved.promotion;
}

/** Plays a plain deployment of the promotion that reports success. */
async function succeed(promotion: Promotion): Promise<void> {
  await services.store.transition({
    id: promotion.id,
    from: ["approved"],
    to: "deploying",
    actor: "gantry",
    fields: { deploymentId: 8000 },
  });
  await services.store.linkDeployment(8000, promotion.id);
  nockSetAlias("churn-model", "production", promotion.version);
  await deploymentStatusJob.process(
    {
      deliveryId: `d-${promotion.id}`,
      deploymentId: 8000,
      state: "success",
      description: undefined,
      logUrl: undefined,
      promotionId: promotion.id,
    },
    services,
    JOB,
  );
}

function nockOpening(): void {
  nockGetVersion({ version: "44" });
  nockRunMetrics("run44", { accuracy: 0.95, latency_p99_ms: 1400 });
  nockAlias({ alias: "production", version: "42" });
  nockRunMetrics("run42", { accuracy: 0.934, latency_p99_ms: 1510 });
}

describe("hold", () => {
  beforeEach(async () => {
    await services.redis.hset(
      keys.succeeded(MODEL, "staging"),
      "44",
      "2024-05-01T00:00:00.000Z",
    );
  });

  it("blocks a promotion that Gantry requests", async () => {
    nockOpening();

    const outcome = await openPromotion(services, {
      entry,
      version: "44",
      environment: "production",
      requestedBy: "gantry",
      fallbackChannel: "C0000001",
      requestKey: "soak:held",
    });

    expect(outcome.outcome).toBe("blocked");
    if (outcome.outcome !== "blocked") return;
    expect(outcome.blockers.map((blocker) => blocker.code)).toEqual(["held"]);
    expect(outcome.blockers[0]?.message).toMatch(
      /^production is held since version 43 was rolled back at .+ \(health check failed\), so Gantry promotes nothing into it automatically$/,
    );
  });

  it("lets a person promote into a held environment", async () => {
    nockOpening();

    const outcome = await openPromotion(services, {
      entry,
      version: "44",
      environment: "production",
      requestedBy: "U0000001",
      fallbackChannel: "C0000001",
      requestKey: "slack:by-hand",
    });

    expect(outcome.outcome).toBe("opened");
    expect(await isHeld(services, MODEL, "production")).toBe(true);
  });

  it("ends when a promotion asked by hand succeeds", async () => {
    const byGantry = await approved("44", "gantry");
    await succeed(byGantry);
    const stillHeld = await isHeld(services, MODEL, "production");
    const byHand = await approved("45", "U0000001");

    await succeed(byHand);

    expect(stillHeld).toBe(true);
    expect(await findHold(services, MODEL, "production")).toBeUndefined();
    expect((await services.store.get(byHand.id))?.status).toBe("succeeded");
  });

  it("cancels Gantry's queued promotion when the slot frees", async () => {
    const active = await approved("44", "U0000001");
    const queuedByGantry = await approved("45", "gantry");
    const queuedByHand = await approved("46", "U0000001");
    for (const promotion of [active, queuedByGantry, queuedByHand]) {
      await claimSlot(services, promotion);
    }

    await releaseSlot(services, active);

    expect(await services.store.get(queuedByGantry.id)).toMatchObject({
      status: "cancelled",
      reason:
        "production is held after a rollback; Gantry promotes nothing into it until someone promotes by hand",
    });
    expect(
      await services.redis.get(keys.activePromotion(MODEL, "production")),
    ).toBe(queuedByHand.id);
    expect(
      (await queuedJobs(services, deploymentJob)).map((j) => j.id),
    ).toEqual([`deploy.${queuedByHand.id}.start`]);
  });
});
