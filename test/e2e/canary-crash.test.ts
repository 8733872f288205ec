import { describe, expect, it } from "vitest";
import { keys } from "../../src/store/keys.js";
import {
  CANARY_YML,
  RELEASE_MANAGER,
  STEPS,
  approveProductionCanary,
  deploymentsOf,
  seedProduction,
  stepDeployment,
  walkSteps,
} from "./canary-steps.js";
import {
  aliasMoves,
  sendDeploymentStatus,
  useGantry,
  waitForThreadReply,
} from "./use-gantry.js";

const { harness, redis } = useGantry({ gantryYml: CANARY_YML });

/** Kills Gantry as a crash would and starts a new process on the same Redis. */
async function crashAndRestart(): Promise<void> {
  await harness().stopGantry("SIGKILL");
  await harness().startGantry();
}

/** Returns the traffic shares of the deployments that the GitHub stand-in stores for a promotion. */
function sharesCreated(promotionId: string): number[] {
  return harness()
    .github.deployments.filter(
      (deployment) => deployment.payload.promotion_id === promotionId,
    )
    .map((deployment) => Number(deployment.payload.traffic_percent));
}

async function finish(promotionId: string): Promise<void> {
  await harness().waitForLogRecord(
    "promotion succeeded",
    { promotionId },
    30_000,
  );
}

describe("canary after a crash", () => {
  it("finds the deployment a killed process was creating", async () => {
    await seedProduction(redis(), harness());
    const opened = await harness().openPromotion({
      text: "churn 42 production",
    });
    harness().github.failNext("repos.createDeployment", 1, { delayMs: 1500 });
    await harness().pressButton({
      action: "promotion_approve",
      promotionId: opened.promotionId,
      user: RELEASE_MANAGER,
      messageTs: opened.ts,
    });
    await harness().github.waitFor(
      (request) => request.route === "repos.createDeployment",
      20_000,
      "the first createDeployment call",
    );

    await crashAndRestart();
    await harness().waitForLogRecord(
      "deployment created",
      { promotionId: opened.promotionId, step: 0 },
      40_000,
    );
    await walkSteps(harness(), opened.promotionId, STEPS);
    await finish(opened.promotionId);

    expect(deploymentsOf(harness(), opened.promotionId)).toHaveLength(4);
    expect(sharesCreated(opened.promotionId)).toEqual(STEPS);
    expect(aliasMoves(harness(), "production").map((m) => m.body)).toEqual([
      { name: "churn-model", alias: "production", version: "42" },
    ]);
  });

  it("goes on from deploying and from baking", async () => {
    await seedProduction(redis(), harness());
    const opened = await approveProductionCanary(harness());
    await walkSteps(harness(), opened.promotionId, [5]);
    await waitForThreadReply(harness(), opened, "step 1 of 4 (5 %) passed");
    const second = await stepDeployment(harness(), opened.promotionId, 25);
    await harness().waitForLogRecord("deployment created", {
      promotionId: opened.promotionId,
      step: 1,
    });

    await crashAndRestart();
    const deployingAfterCrash = await redis().hgetall(
      keys.promotion(opened.promotionId),
    );
    await sendDeploymentStatus(harness(), {
      deployment: second,
      state: "success",
    });
    await harness().waitForLogRecord("canary health check", {
      promotionId: opened.promotionId,
      step: 1,
      check: 1,
    });
    await crashAndRestart();
    await walkSteps(harness(), opened.promotionId, [50, 100]);
    await finish(opened.promotionId);

    expect(deployingAfterCrash).toMatchObject({
      status: "canary",
      canaryStep: "1",
      stepPhase: "deploying",
      deploymentId: String(second.id),
    });
    expect(sharesCreated(opened.promotionId)).toEqual(STEPS);
    expect(deploymentsOf(harness(), opened.promotionId)).toHaveLength(4);
    expect(
      Object.keys(
        await redis().hgetall(keys.canaryChecks(opened.promotionId)),
      ).filter((field) => field.startsWith("1:")),
    ).toEqual(expect.arrayContaining(["1:1", "1:2"]));
    expect(harness().mlflow.aliases.get("churn-model/production")).toBe("42");
    expect(aliasMoves(harness(), "production")).toHaveLength(1);
  });
});
