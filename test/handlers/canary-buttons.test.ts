import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deploymentJob } from "../../jobs/deployment.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import { readJsonFixture } from "../../scripts/fixtures.js";
import type { Promotion } from "../../src/promotion.js";
import type { Services } from "../../src/services.js";
import { testBolt } from "../helpers/bolt.js";
import { canaryPromotion, seedProduction } from "../helpers/canary.js";
import { useRedis } from "../helpers/redis.js";
import { queuedJobs, testServices } from "../helpers/services.js";
import { nockResponseUrl } from "../helpers/slack-api.js";

const RESPONSE_URL = "https://hooks.slack.com/actions/T0000001/1/canary";
const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;
let replies: { text?: string }[];

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await seedProduction(services, ["41"]);
  replies = [];
});

afterEach(async () => {
  await close();
});

/** Presses a button of a paused canary's card as `user`. */
async function press(
  action: "canary_continue" | "canary_rollback",
  promotion: Promotion,
  user: string,
  step = promotion.canaryStep ?? 0,
): Promise<void> {
  const body = readJsonFixture<Record<string, any>>(
    "slack/block_actions.approve.json",
  );
  body.user = { ...body.user, id: user };
  body.actions[0] = {
    ...body.actions[0],
    action_id: action,
    value: JSON.stringify({ promotionId: promotion.id, step }),
  };
  body.response_url = RESPONSE_URL;
  await testBolt(services).dispatch(body);
}

describe("paused canary buttons", () => {
  it("continues to the next step for an approver", async () => {
    const paused = await canaryPromotion(services, {
      step: 1,
      phase: "paused",
    });

    await press("canary_continue", paused, "U0RELMGR");

    expect(await services.store.get(paused.id)).toMatchObject({
      status: "canary",
      canaryStep: 2,
      stepPhase: "deploying",
    });
    expect(
      (await queuedJobs(services, deploymentJob)).map((j) => j.id),
    ).toEqual([`deploy.${paused.id}.step.2`]);
    expect(
      (await queuedJobs(services, slackCardJob)).map((job) => job.data.note),
    ).toContainEqual({ kind: "resumed", step: 1, user: "U0RELMGR" });
  });

  it("refuses Continue from someone who is not an approver", async () => {
    const paused = await canaryPromotion(services, {
      step: 1,
      phase: "paused",
    });
    nockResponseUrl(RESPONSE_URL, replies);

    await press("canary_continue", paused, "U0000001");

    expect(replies.map((reply) => reply.text)).toEqual([
      "Only approvers for production may continue a paused canary; they are <@U0RELMGR>. Nothing was changed.",
    ]);
    expect(await services.store.get(paused.id)).toEqual(paused);
  });

  it("refuses a button of a step that is no longer paused", async () => {
    const baking = await canaryPromotion(services, {
      step: 2,
      phase: "baking",
    });
    nockResponseUrl(RESPONSE_URL, replies);

    await press("canary_continue", baking, "U0RELMGR", 1);

    expect(replies.map((reply) => reply.text)).toEqual([
      "This canary is no longer paused at step 2 of 4 (25 %); nothing was changed.",
    ]);
    expect(await services.store.get(baking.id)).toEqual(baking);
  });

  it("rolls back for an approver", async () => {
    const paused = await canaryPromotion(services, {
      step: 2,
      phase: "paused",
    });
    nockResponseUrl(RESPONSE_URL, replies);

    await press("canary_rollback", paused, "U0RELMGR");

    const rolledBack = await services.store.get(paused.id);
    expect(rolledBack).toMatchObject({
      status: "rolled_back",
      reason:
        "an approver rolled back after an inconclusive health check in canary step 3 of 4 (50 %)",
    });
    const rollback = await services.store.get(rolledBack?.rolledBackBy ?? "");
    expect(rollback).toMatchObject({ version: "41", requestedBy: "U0RELMGR" });
    expect(replies[0]?.text).toMatch(
      /^Rolling back churn in production from version 42 to version 41 \(prm_/,
    );
  });
});
