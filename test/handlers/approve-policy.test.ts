import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Services } from "../../src/services.js";
import { buttonClick, testBolt } from "../helpers/bolt.js";
import { nockGetVersion } from "../helpers/mlflow-nock.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { testServices } from "../helpers/services.js";

const { url } = useRedis();
const RESPONSE_URL = "https://hooks.slack.com/actions/T0000001/1/test";

let services: Services;
let close: () => Promise<void>;
let replies: string[];

beforeEach(() => {
  ({ services, close } = testServices(url));
  replies = [];
  nock("https://hooks.slack.com")
    .persist()
    .post("/actions/T0000001/1/test")
    .reply(200, (_uri, body) => {
      replies.push(String((body as { text?: string }).text));
      return "ok";
    });
});

afterEach(async () => {
  nock.cleanAll();
  await close();
});

function nockGroups(groups: Record<string, string[]>): void {
  nock("https://slack.com")
    .persist()
    .post("/api/usergroups.users.list")
    .reply(200, (_uri, body) => {
      const group = new URLSearchParams(body as string).get("usergroup") ?? "";
      return groups[group]
        ? { ok: true, users: groups[group] }
        : { ok: false, error: "no_such_subteam" };
    });
}

async function open(overrides: Parameters<typeof newPromotion>[0] = {}) {
  const { promotion } = await services.store.create(
    newPromotion({
      versionIdentity: "run42|models:/churn-model/42",
      ...overrides,
    }),
    `slack:${Math.random()}`,
  );
  return promotion;
}

async function deployJobIds(): Promise<string[]> {
  const jobs = await services.queues
    .queue("{deployments}")
    .getJobs(["waiting", "delayed", "active", "completed"]);
  return jobs.map((job) => job.id ?? "");
}

describe("approve action", () => {
  it("refuses someone who is not an approver", async () => {
    nockGroups({ S0MLLEADS: ["U0LEAD001"] });
    const promotion = await open({ approvers: ["U0000002", "S0MLLEADS"] });

    await testBolt(services).dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0STRANGER",
        responseUrl: RESPONSE_URL,
      }),
    );

    expect(replies).toEqual([
      "You are not an approver for staging; approvers are <@U0000002>, <!subteam^S0MLLEADS>. Nothing was changed.",
    ]);
    expect(await services.store.approvals(promotion.id)).toEqual([]);
  });

  it("admits a member of an approver group", async () => {
    nockGroups({ S0MLLEADS: ["U0LEAD001"] });
    nockGetVersion({ version: "42" });
    const promotion = await open({
      approvers: ["S0MLLEADS"],
      requiredApprovals: 1,
    });

    await testBolt(services).dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0LEAD001",
        responseUrl: RESPONSE_URL,
      }),
    );

    expect(await services.store.approvals(promotion.id)).toEqual(["U0LEAD001"]);
    expect((await services.store.get(promotion.id))?.status).toBe("approved");
    expect(await deployJobIds()).toEqual([`deploy.${promotion.id}`]);
  });

  it("counts a member of two groups once", async () => {
    nockGroups({ S0MLLEADS: ["U0LEAD001"], S0RELEASE: ["U0LEAD001"] });
    nockGetVersion({ version: "42", times: 2 });
    const promotion = await open({
      approvers: ["S0MLLEADS", "S0RELEASE"],
      requiredApprovals: 2,
    });
    const bolt = testBolt(services);

    await bolt.dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0LEAD001",
        responseUrl: RESPONSE_URL,
      }),
    );
    await bolt.dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0LEAD001",
        responseUrl: RESPONSE_URL,
      }),
    );

    expect(replies).toEqual(["Your approval was already counted (1 of 2)."]);
    expect((await services.store.get(promotion.id))?.status).toBe(
      "pending_approval",
    );
  });

  it("waits for the required group", async () => {
    nockGroups({ S0MLLEADS: ["U0LEAD001"] });
    nockGetVersion({ version: "42", times: 3 });
    const promotion = await open({
      approvers: ["U0000002", "U0000003", "S0MLLEADS"],
      requiredApprovals: 2,
      requiredGroup: "S0MLLEADS",
    });
    const bolt = testBolt(services);

    await bolt.dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0000002",
        responseUrl: RESPONSE_URL,
      }),
    );
    await bolt.dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0000003",
        responseUrl: RESPONSE_URL,
      }),
    );
    const beforeLead = (await services.store.get(promotion.id))?.status;
    await bolt.dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0LEAD001",
        responseUrl: RESPONSE_URL,
      }),
    );

    expect(beforeLead).toBe("pending_approval");
    expect(replies).toEqual([
      "Your approval counts (2 of 2); one approval from <!subteam^S0MLLEADS> is still needed.",
    ]);
    expect((await services.store.get(promotion.id))?.status).toBe("approved");
    expect(await deployJobIds()).toEqual([`deploy.${promotion.id}`]);
  });

  it("voids approvals when the version changed", async () => {
    nockGetVersion({ version: "42" });
    nockGetVersion({ version: "42", runId: "run42-retrained" });
    const promotion = await open({
      approvers: ["U0000002", "U0000003"],
      requiredApprovals: 2,
    });
    const bolt = testBolt(services);
    await bolt.dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0000002",
        responseUrl: RESPONSE_URL,
      }),
    );

    await bolt.dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0000003",
        responseUrl: RESPONSE_URL,
      }),
    );

    const stored = await services.store.get(promotion.id);
    expect(await services.store.approvals(promotion.id)).toEqual([]);
    expect(stored?.status).toBe("pending_approval");
    expect(stored?.versionIdentity).toBe(
      "run42-retrained|models:/churn-model/42",
    );
    expect(stored?.reason).toContain("approvals given before are void");
    expect(replies[0]).toMatch(
      /^Version 42 changed in the model registry since it was requested/,
    );
    const cards = await services.queues
      .queue("{slack-cards}")
      .getJobs(["waiting"]);
    const card = cards.find(
      (job) => job.data.note?.kind === "approvals_voided",
    );
    expect(card?.data.note).toEqual({
      kind: "approvals_voided",
      reason: stored?.reason,
    });
  });

  it("deploys once under concurrent clicks", async () => {
    const users = Array.from(
      { length: 8 },
      (_, i) => `U2${String(i).padStart(6, "0")}`,
    );
    nockGetVersion({ version: "42", times: 16 });
    const promotion = await open({ approvers: users, requiredApprovals: 3 });
    const bolt = testBolt(services);

    await Promise.all(
      [...users, ...users].map((user) =>
        bolt.dispatch(
          buttonClick({
            action: "promotion_approve",
            promotionId: promotion.id,
            user,
            responseUrl: RESPONSE_URL,
          }),
        ),
      ),
    );

    expect(await services.store.approvals(promotion.id)).toHaveLength(3);
    expect((await services.store.get(promotion.id))?.status).toBe("approved");
    expect(await deployJobIds()).toEqual([`deploy.${promotion.id}`]);
  });
});
