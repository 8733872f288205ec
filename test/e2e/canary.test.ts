import { describe, expect, it } from "vitest";
import { SlackStandIn } from "../../scripts/stand-ins/slack-stand-in.js";
import { readJsonFixture } from "../../scripts/fixtures.js";
import { keys } from "../../src/store/keys.js";
import {
  CANARY_YML,
  MODEL,
  RELEASE_MANAGER,
  STEPS,
  approveProductionCanary,
  deploymentsOf,
  rollbackOf,
  seedProduction,
  stepDeployment,
  threadTexts,
  walkSteps,
} from "./canary-steps.js";
import {
  aliasMoves,
  sendDeploymentStatus,
  useGantry,
  waitForCardUpdate,
  waitForThreadReply,
} from "./use-gantry.js";

const { harness, redis } = useGantry({ gantryYml: CANARY_YML });

async function status(promotionId: string): Promise<string | null> {
  return redis().hget(keys.promotion(promotionId), "status");
}

/** Waits for the rollback's deployment, reports its success and waits for the rollback to end. */
async function finishRollback(rollbackId: string): Promise<void> {
  const deployment = await stepDeployment(harness(), rollbackId, 100);
  await sendDeploymentStatus(harness(), { deployment, state: "success" });
  await harness().waitForLogRecord(
    "promotion succeeded",
    { promotionId: rollbackId },
    20_000,
  );
}

describe("production canary", () => {
  it("walks every step and moves the alias once", async () => {
    await seedProduction(redis(), harness());
    const opened = await approveProductionCanary(harness());

    const deployments = await walkSteps(harness(), opened.promotionId, STEPS);
    await harness().waitForLogRecord(
      "promotion succeeded",
      { promotionId: opened.promotionId },
      30_000,
    );
    await waitForCardUpdate(harness(), opened, "Succeeded");
    await waitForThreadReply(harness(), opened, "step 4 of 4 (100 %) passed");

    const created = deploymentsOf(harness(), opened.promotionId);
    expect(created.map((request) => request.body)).toEqual(
      STEPS.map((percent): unknown =>
        expect.objectContaining({
          environment: "production",
          payload: {
            model: "churn",
            version: "42",
            traffic_percent: percent,
            promotion_id: opened.promotionId,
            rollback: false,
          },
        }),
      ),
    );
    const moves = aliasMoves(harness(), "production");
    expect(moves.map((move) => move.body)).toEqual([
      { name: "churn-model", alias: "production", version: "42" },
    ]);
    const lastStatus = deployments.at(-1);
    expect(lastStatus?.payload.traffic_percent).toBe(100);
    expect(moves[0]?.at).toBeGreaterThan(created.at(-1)?.at ?? Infinity);
    expect(await status(opened.promotionId)).toBe("succeeded");
    expect(
      await redis().lrange(keys.releaseHistory(MODEL, "production"), 0, -1),
    ).toHaveLength(2);
    const texts = threadTexts(harness(), opened);
    for (const [index, percent] of STEPS.entries()) {
      expect(texts).toContainEqual(
        expect.stringContaining(
          `step ${index + 1} of 4 (${percent} %) passed its 2s bake: 2 of 2 health checks passed; last healthy: 0.004`,
        ),
      );
    }
    expect(harness().prometheus.callsTo("query").length).toBeGreaterThanOrEqual(
      8,
    );
  });

  it("rolls back a failed health check and holds production", async () => {
    await seedProduction(redis(), harness());
    const opened = await approveProductionCanary(harness());
    await walkSteps(harness(), opened.promotionId, [5]);
    await waitForThreadReply(harness(), opened, "step 1 of 4 (5 %) passed");
    harness().prometheus.answer = "fail";
    await walkSteps(harness(), opened.promotionId, [25]);

    const rollbackId = await rollbackOf(harness(), opened.promotionId);
    await finishRollback(rollbackId);
    await waitForThreadReply(harness(), opened, "runs in production again");

    expect(await status(opened.promotionId)).toBe("rolled_back");
    expect(await status(rollbackId)).toBe("succeeded");
    expect(
      await redis().hget(keys.promotion(opened.promotionId), "reason"),
    ).toBe(
      "health check 1 of 2 in canary step 2 of 4 (25 %) failed: unhealthy: 0.07, not < 0.02",
    );
    expect(deploymentsOf(harness(), rollbackId).map((r) => r.body)).toEqual([
      expect.objectContaining({
        environment: "production",
        payload: {
          model: "churn",
          version: "41",
          traffic_percent: 100,
          promotion_id: rollbackId,
          rollback: true,
        },
      }),
    ]);
    expect(deploymentsOf(harness(), opened.promotionId)).toHaveLength(2);
    expect(aliasMoves(harness(), "production").map((m) => m.body)).toEqual([
      { name: "churn-model", alias: "production", version: "41" },
    ]);
    expect(harness().mlflow.aliases.get("churn-model/production")).toBe("41");
    expect(await redis().hget(keys.hold(MODEL, "production"), "version")).toBe(
      "42",
    );
    expect(await redis().hget(keys.live(MODEL, "production"), "version")).toBe(
      "41",
    );
    const tickets = harness().jira.issuesWithLabel(
      `gantry-rollback-${opened.promotionId}`,
    );
    expect(tickets.map((issue) => issue.fields.issuetype.name)).toEqual([
      "Bug",
    ]);
  });

  it("pauses on no data and continues on Continue", async () => {
    await seedProduction(redis(), harness());
    harness().prometheus.answer = "no_data";
    const opened = await approveProductionCanary(harness());
    await walkSteps(harness(), opened.promotionId, [5]);

    const paused = await waitForCardUpdate(harness(), opened, "paused");
    const buttons = SlackStandIn.buttons(paused);
    const continueButton = buttons.find(
      (button) => button.actionId === "canary_continue",
    );
    const before = deploymentsOf(harness(), opened.promotionId).length;
    harness().prometheus.answer = "pass";
    await harness().pressButton({
      action: "canary_continue",
      promotionId: opened.promotionId,
      user: RELEASE_MANAGER,
      messageTs: opened.ts,
      value: continueButton?.value,
    });
    await walkSteps(harness(), opened.promotionId, [25, 50, 100]);
    await harness().waitForLogRecord(
      "promotion succeeded",
      { promotionId: opened.promotionId },
      30_000,
    );

    expect(buttons.map((button) => button.text)).toEqual([
      "Continue",
      "Roll back",
    ]);
    expect(JSON.parse(continueButton?.value ?? "{}")).toEqual({
      promotionId: opened.promotionId,
      step: 0,
    });
    expect(before).toBe(1);
    expect(threadTexts(harness(), opened)).toContainEqual(
      expect.stringContaining(
        "Canary paused at step 1 of 4 (5 %): the last health check was inconclusive (no data: the query returned no samples)",
      ),
    );
    expect(threadTexts(harness(), opened)).toContainEqual(
      expect.stringContaining(`<@${RELEASE_MANAGER}> pressed Continue`),
    );
    expect(deploymentsOf(harness(), opened.promotionId)).toHaveLength(4);
    expect(harness().mlflow.aliases.get("churn-model/production")).toBe("42");
  });

  it("rolls back on a critical alert during the bake", async () => {
    await seedProduction(redis(), harness());
    const opened = await approveProductionCanary(harness());
    await walkSteps(harness(), opened.promotionId, [5]);
    await harness().waitForLogRecord("canary step baking", {
      promotionId: opened.promotionId,
    });

    const alert = await harness().postAlerts(
      "alertmanager",
      readJsonFixture("alerts/alertmanager.v4.firing.json"),
    );
    const rollbackId = await rollbackOf(harness(), opened.promotionId);
    await finishRollback(rollbackId);

    expect(alert.status).toBe(202);
    expect(await status(opened.promotionId)).toBe("rolled_back");
    expect(
      await redis().hget(keys.promotion(opened.promotionId), "reason"),
    ).toMatch(
      /^critical alert ModelServingHighErrorRate fired on churn during the bake of canary step [12] of 4/,
    );
    expect(aliasMoves(harness(), "production").map((m) => m.body)).toEqual([
      { name: "churn-model", alias: "production", version: "41" },
    ]);
    expect(await redis().exists(keys.hold(MODEL, "production"))).toBe(1);
  });
});
