import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deploymentJob } from "../../jobs/deployment.js";
import { deploymentStatusJob } from "../../jobs/deployment-status.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import { readJsonFixture } from "../../scripts/fixtures.js";
import type { Promotion } from "../../src/promotion.js";
import { claimSlot, queuePosition } from "../../src/promotions/active-slot.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { approvalCard } from "../../templates/approval-card.js";
import { testBolt } from "../helpers/bolt.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { REPO } from "../helpers/repo-config.js";
import { queuedJobs, testServices } from "../helpers/services.js";
import { nockResponseUrl } from "../helpers/slack-api.js";

const JOB = {} as never;
const MODEL = `${REPO}:churn`;
const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(() => {
  ({ services, close } = testServices(url));
});

afterEach(async () => {
  await close();
});

async function approved(version: string): Promise<Promotion> {
  const { promotion } = await services.store.create(
    newPromotion({ version }),
    `slack:queue-${version}`,
  );
  const moved = await services.store.transition({
    id: promotion.id,
    from: ["pending_approval"],
    to: "approved",
    actor: "U0000002",
  });
  if (!moved.ok) throw new Error("not approved");
  return moved.promotion;
}

/** Builds the Cancel click on a waiting promotion's card, by `user`. */
function cancelClick(promotionId: string, user: string, responseUrl: string) {
  const body = readJsonFixture<Record<string, any>>(
    "slack/block_actions.approve.json",
  );
  body.user = { ...body.user, id: user };
  body.actions[0] = {
    ...body.actions[0],
    action_id: "promotion_cancel",
    value: promotionId,
  };
  body.response_url = responseUrl;
  return body;
}

describe("one active promotion per environment", () => {
  it("queues an approved promotion behind the active one", async () => {
    const active = await approved("42");
    await claimSlot(services, active);
    const waiting = await approved("43");

    await deploymentJob.process({ promotionId: waiting.id }, services, JOB);

    expect((await services.store.get(waiting.id))?.status).toBe("approved");
    expect(await queuePosition(services, waiting)).toEqual({
      position: 1,
      holder: active.id,
    });
    expect((await queuedJobs(services, slackCardJob)).map((j) => j.id)).toEqual(
      [`card.${waiting.id}.waiting.${active.id}`],
    );
  });

  it("shows the position and a Cancel button on the card", async () => {
    const waiting = await approved("43");

    const card = approvalCard({
      promotion: waiting,
      approvedBy: ["U0000002"],
      queue: { position: 2, holder: "prm_active" },
    });

    const texts = JSON.stringify(card.blocks);
    expect(texts).toContain(
      "*Waiting:* number 2 in line behind prm_active, the active promotion to this environment",
    );
    expect(card.blocks.at(-2)).toEqual({
      type: "actions",
      block_id: "queue_actions",
      elements: [
        {
          type: "button",
          action_id: "promotion_cancel",
          text: { type: "plain_text", text: "Cancel" },
          value: waiting.id,
        },
      ],
    });
  });

  it("starts the next promotion when the active one ends", async () => {
    const active = await approved("42");
    await claimSlot(services, active);
    await services.store.transition({
      id: active.id,
      from: ["approved"],
      to: "deploying",
      actor: "gantry",
      fields: { deploymentId: 6001 },
    });
    await services.store.linkDeployment(6001, active.id);
    const waiting = await approved("43");
    await claimSlot(services, waiting);

    await deploymentStatusJob.process(
      {
        deliveryId: "d-active-failed",
        deploymentId: 6001,
        state: "failure",
        description: undefined,
        logUrl: undefined,
        promotionId: active.id,
      },
      services,
      JOB,
    );

    expect((await services.store.get(active.id))?.status).toBe("failed");
    expect(
      await services.redis.get(keys.activePromotion(MODEL, "staging")),
    ).toBe(waiting.id);
    expect(
      (await queuedJobs(services, deploymentJob)).map((j) => j.id),
    ).toEqual([`deploy.${waiting.id}.start`]);
  });

  it("replaces an active promotion that ended without releasing", async () => {
    const stale = await approved("42");
    await claimSlot(services, stale);
    await services.store.transition({
      id: stale.id,
      from: ["approved"],
      to: "cancelled",
      actor: "U0000001",
    });
    const next = await approved("43");

    const claim = await claimSlot(services, next);

    expect(claim).toEqual({ state: "active" });
    expect(
      await services.redis.get(keys.activePromotion(MODEL, "staging")),
    ).toBe(next.id);
  });

  it("cancels a waiting promotion for its requester", async () => {
    const active = await approved("42");
    await claimSlot(services, active);
    const waiting = await approved("43");
    await claimSlot(services, waiting);
    const replies: { text?: string }[] = [];
    const responseUrl = "https://hooks.slack.com/actions/T0000001/1/cancel";
    nockResponseUrl(responseUrl, replies);
    const { dispatch } = testBolt(services);

    await dispatch(cancelClick(waiting.id, "U0BYSTAND", responseUrl));
    const refused = (await services.store.get(waiting.id))?.status;
    await dispatch(cancelClick(waiting.id, "U0000001", responseUrl));

    expect(refused).toBe("approved");
    expect(replies[0]?.text).toBe(
      "Only the requester or approvers for staging may cancel this promotion. Nothing was changed.",
    );
    expect(replies).toHaveLength(1);
    expect(await services.store.get(waiting.id)).toMatchObject({
      status: "cancelled",
      reason: "cancelled while it waited for the active promotion",
    });
    expect(await queuePosition(services, waiting)).toBeUndefined();
    expect(
      await services.redis.get(keys.activePromotion(MODEL, "staging")),
    ).toBe(active.id);
  });
});
