import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deploymentJob } from "../../jobs/deployment.js";
import { deploymentStatusJob } from "../../jobs/deployment-status.js";
import { findHold } from "../../src/rollback/hold.js";
import {
  releaseHistory,
  rollbackTarget,
  type HistoryEntry,
} from "../../src/rollback/release-history.js";
import {
  startRollback,
  type RollbackRequest,
} from "../../src/rollback/start-rollback.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { rollbackReply } from "../../templates/rollback-messages.js";
import { canaryPromotion, MODEL, seedProduction } from "../helpers/canary.js";
import { nockSetAlias } from "../helpers/mlflow-api.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { queuedJobs, testServices } from "../helpers/services.js";

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

function byHand(overrides: Partial<RollbackRequest> = {}): RollbackRequest {
  return {
    model: MODEL,
    environment: "production",
    requestedBy: "U0RELMGR",
    reason: "rolled back by hand with /rollback",
    fallbackChannel: "C0000001",
    requestKey: `slack:trigger-${Math.random()}`,
    ...overrides,
  };
}

function entry(version: string): HistoryEntry {
  return { version, promotionId: `prm_${version}`, at: "2024-05-01T00:00:00Z" };
}

describe("rollbackTarget", () => {
  it.each<[string, string[], string, string | undefined]>([
    ["the version before the live one", ["40", "41", "42"], "42", "41"],
    ["the live version during a canary", ["40", "41"], "42", "41"],
    ["past repeats of the version", ["40", "42", "42"], "42", "40"],
    ["nothing with one version", ["42"], "42", undefined],
    ["nothing with no history", [], "42", undefined],
  ])("picks %s", (_name, versions, from, expected) => {
    expect(rollbackTarget(versions.map(entry), from)?.version).toBe(expected);
  });
});

describe("startRollback", () => {
  it("rolls the live version back", async () => {
    await seedProduction(services, ["40", "41", "42"]);

    const outcome = await startRollback(services, byHand());

    if (outcome.outcome !== "started") throw new Error(outcome.outcome);
    expect(outcome.fromVersion).toBe("42");
    const rollback = await services.store.get(outcome.rollback.id);
    expect(rollback).toMatchObject({
      kind: "rollback",
      status: "approved",
      version: "41",
      championVersion: "42",
      requestedBy: "U0RELMGR",
    });
    expect(rollback?.rollbackOf).toBeUndefined();
    expect(await findHold(services, MODEL, "production")).toMatchObject({
      version: "42",
      by: "U0RELMGR",
      reason: "rolled back by hand with /rollback",
    });
    expect(
      (await queuedJobs(services, deploymentJob)).map((j) => j.id),
    ).toEqual([`deploy.${outcome.rollback.id}`]);
  });

  it("says when there is nothing to go back to", async () => {
    await seedProduction(services, ["42"]);

    const outcome = await startRollback(services, byHand());

    expect(outcome).toEqual({
      outcome: "nothing_to_roll_back",
      fromVersion: "42",
    });
    expect(
      rollbackReply({ modelName: "churn", environment: "production", outcome }),
    ).toBe(
      "Nothing to go back to: no version of churn other than 42 succeeded in production. Nothing was changed.",
    );
    expect(await findHold(services, MODEL, "production")).toBeUndefined();
    expect(await queuedJobs(services, deploymentJob)).toEqual([]);
  });

  it("says when nothing is live", async () => {
    await seedProduction(services, []);

    const outcome = await startRollback(services, byHand());

    expect(outcome).toEqual({
      outcome: "nothing_to_roll_back",
      fromVersion: undefined,
    });
  });

  it("replaces the active canary", async () => {
    await seedProduction(services, ["41"]);
    const canary = await canaryPromotion(services, {
      step: 2,
      phase: "baking",
    });

    const outcome = await startRollback(services, byHand());

    if (outcome.outcome !== "started") throw new Error(outcome.outcome);
    expect(await services.store.get(canary.id)).toMatchObject({
      status: "rolled_back",
      rolledBackBy: outcome.rollback.id,
      reason: "rolled back by hand with /rollback",
    });
    expect(outcome.rollback).toMatchObject({
      version: "41",
      rollbackOf: canary.id,
    });
    expect(
      await services.redis.get(keys.activePromotion(MODEL, "production")),
    ).toBe(outcome.rollback.id);
  });

  it("cancels an approved promotion that has not deployed", async () => {
    await seedProduction(services, ["41", "42"]);
    const { promotion } = await services.store.create(
      newPromotion({ environment: "production", version: "43" }),
      "slack:approved",
    );
    await services.store.transition({
      id: promotion.id,
      from: ["pending_approval"],
      to: "approved",
      actor: "U0RELMGR",
    });
    await services.redis.set(
      keys.activePromotion(MODEL, "production"),
      promotion.id,
    );

    const outcome = await startRollback(services, byHand());

    if (outcome.outcome !== "started") throw new Error(outcome.outcome);
    expect(outcome.rollback.version).toBe("41");
    expect((await services.store.get(promotion.id))?.status).toBe("cancelled");
  });

  it("reports a rollback already under way", async () => {
    await seedProduction(services, ["41", "42"]);
    const first = await startRollback(services, byHand());

    const second = await startRollback(services, byHand());

    if (first.outcome !== "started") throw new Error(first.outcome);
    expect(second).toMatchObject({
      outcome: "in_progress",
      rollback: { id: first.rollback.id },
    });
  });

  it("trims the history when the rollback succeeds", async () => {
    await seedProduction(services, ["40", "41", "42"]);
    const outcome = await startRollback(services, byHand());
    if (outcome.outcome !== "started") throw new Error(outcome.outcome);
    await services.store.transition({
      id: outcome.rollback.id,
      from: ["approved"],
      to: "deploying",
      actor: "gantry",
      fields: { deploymentId: 7001 },
    });
    await services.store.linkDeployment(7001, outcome.rollback.id);
    const alias = nockSetAlias("churn-model", "production", "41");

    await deploymentStatusJob.process(
      {
        deliveryId: "d-rollback",
        deploymentId: 7001,
        state: "success",
        description: undefined,
        logUrl: undefined,
        promotionId: outcome.rollback.id,
      },
      services,
      JOB,
    );
    const next = await startRollback(services, byHand());

    expect(alias.isDone()).toBe(true);
    expect(
      (await releaseHistory(services, MODEL, "production")).map(
        (item) => item.version,
      ),
    ).toEqual(["40", "41"]);
    expect(await services.store.live(MODEL, "production")).toEqual({
      version: "41",
    });
    expect(await findHold(services, MODEL, "production")).toBeDefined();
    if (next.outcome !== "started") throw new Error(next.outcome);
    expect(next.rollback.version).toBe("40");
  });
});
