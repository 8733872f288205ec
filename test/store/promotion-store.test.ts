import { describe, expect, it } from "vitest";
import { keys } from "../../src/store/keys.js";
import { PromotionStore } from "../../src/store/promotion-store.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";

const { redis } = useRedis();

describe("PromotionStore", () => {
  it("creates one promotion per request key", async () => {
    const store = new PromotionStore(redis());

    const first = await store.create(newPromotion(), "slack:trigger-1");
    const second = await store.create(
      newPromotion({ version: "43" }),
      "slack:trigger-1",
    );

    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.promotion.id).toBe(first.promotion.id);
    expect(second.promotion.version).toBe("42");
    expect(
      await redis().zcard(
        keys.promotionsByModel("example-user/Hello-World:churn"),
      ),
    ).toBe(1);
  });

  it("round-trips every field", async () => {
    const store = new PromotionStore(redis());

    const { promotion } = await store.create(newPromotion(), "slack:trigger-2");
    const read = await store.get(promotion.id);

    expect(read).toEqual(promotion);
    expect(read?.status).toBe("pending_approval");
  });

  it("moves status only from an expected one", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(
      newPromotion({ requiredApprovals: 0 }),
      "slack:trigger-3",
    );

    const approved = await store.transition({
      id: promotion.id,
      from: ["pending_approval"],
      to: "approved",
      actor: "gantry",
    });
    const again = await store.transition({
      id: promotion.id,
      from: ["pending_approval"],
      to: "approved",
      actor: "gantry",
    });

    expect(approved.ok).toBe(true);
    expect(again).toEqual({
      ok: false,
      reason: "conflict",
      current: "approved",
    });
    expect((await store.get(promotion.id))?.rev).toBe(1);
  });

  it("rejects a transition the state machine forbids", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(newPromotion(), "slack:trigger-4");

    await expect(
      store.transition({
        id: promotion.id,
        from: ["succeeded"],
        to: "deploying",
        actor: "gantry",
      }),
    ).rejects.toThrow("succeeded -> deploying");
  });

  it("reports a missing promotion", async () => {
    const store = new PromotionStore(redis());

    const result = await store.transition({
      id: "prm_missing",
      from: ["approved"],
      to: "deploying",
      actor: "gantry",
    });

    expect(result).toEqual({ ok: false, reason: "missing" });
  });

  it("writes an audit event for every move", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(
      newPromotion({ requiredApprovals: 1 }),
      "slack:trigger-5",
    );

    await store.approve(promotion.id, "U0000002");
    await store.transition({
      id: promotion.id,
      from: ["approved"],
      to: "deploying",
      actor: "gantry",
      fields: { deploymentId: 7 },
    });

    const events = await redis().xrange(
      keys.auditModel(promotion.model),
      "-",
      "+",
    );
    const actions = events.map(([, fields]) => {
      const record = Object.fromEntries(
        fields.flatMap((_, i) =>
          i % 2 === 0 ? [[fields[i], fields[i + 1]]] : [],
        ),
      );
      return `${record.action}:${record.to}:${record.actor}`;
    });
    expect(actions).toEqual([
      "created:pending_approval:U0000001",
      "approval:pending_approval:U0000002",
      "transition:approved:U0000002",
      "transition:deploying:gantry",
    ]);
    expect(await redis().xlen(keys.auditAll())).toBe(4);
    expect((await store.get(promotion.id))?.deploymentId).toBe(7);
  });
});

describe("PromotionStore.approve", () => {
  it("refuses the requester's own approval", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(newPromotion(), "slack:trigger-6");

    const outcome = await store.approve(promotion.id, "U0000001");

    expect(outcome).toEqual({ outcome: "self_approval" });
    expect(await store.approvals(promotion.id)).toEqual([]);
  });

  it("counts each person once", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(newPromotion(), "slack:trigger-7");

    const first = await store.approve(promotion.id, "U0000002");
    const second = await store.approve(promotion.id, "U0000002");

    expect(first).toEqual({
      outcome: "counted",
      count: 1,
      required: 2,
      groupApproved: true,
    });
    expect(second).toEqual({
      outcome: "duplicate",
      count: 1,
      required: 2,
      groupApproved: true,
    });
    expect((await store.get(promotion.id))?.status).toBe("pending_approval");
  });

  it("approves at the required count and not after", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(newPromotion(), "slack:trigger-8");

    await store.approve(promotion.id, "U0000002");
    const reached = await store.approve(promotion.id, "U0000003");
    const late = await store.approve(promotion.id, "U0000004");

    expect(reached).toEqual({
      outcome: "approved",
      count: 2,
      required: 2,
      groupApproved: true,
    });
    expect(late).toEqual({ outcome: "not_pending", status: "approved" });
    expect(await store.approvals(promotion.id)).toEqual([
      "U0000002",
      "U0000003",
    ]);
  });

  it("approves exactly once under concurrent clicks", async () => {
    const store = new PromotionStore(redis());
    const users = Array.from(
      { length: 20 },
      (_, i) => `U1${String(i).padStart(6, "0")}`,
    );
    const { promotion } = await store.create(
      newPromotion({ requiredApprovals: 3, approvers: users }),
      "slack:trigger-9",
    );

    const connections = [...users, ...users].map(() => redis().duplicate());

    const outcomes = await Promise.all(
      connections.map((connection, i) =>
        new PromotionStore(connection).approve(
          promotion.id,
          users[i % users.length] ?? "",
        ),
      ),
    );
    for (const connection of connections) connection.disconnect();

    expect(
      outcomes.filter((outcome) => outcome.outcome === "approved"),
    ).toHaveLength(1);
    expect(
      outcomes.filter((outcome) => outcome.outcome === "counted"),
    ).toHaveLength(2);
    expect(await store.approvals(promotion.id)).toHaveLength(3);
    expect((await store.get(promotion.id))?.status).toBe("approved");
  });

  it("waits for the required group", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(
      newPromotion({ requiredGroup: "S0MLLEADS" }),
      "slack:trigger-10",
    );

    await store.approve(promotion.id, "U0000002", false);
    const outsiders = await store.approve(promotion.id, "U0000003", false);
    const lead = await store.approve(promotion.id, "U0000004", true);

    expect(outsiders).toEqual({
      outcome: "counted",
      count: 2,
      required: 2,
      groupApproved: false,
    });
    expect(lead).toEqual({
      outcome: "approved",
      count: 3,
      required: 2,
      groupApproved: true,
    });
  });
});

describe("PromotionStore.voidApprovals", () => {
  it("clears approvals of a pending promotion", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(
      newPromotion(),
      "slack:trigger-11",
    );
    await store.approve(promotion.id, "U0000002");

    const voided = await store.voidApprovals(
      promotion.id,
      "run43|s3://b",
      "version changed",
    );

    expect(voided).toBe(1);
    expect(await store.approvals(promotion.id)).toEqual([]);
    expect((await store.get(promotion.id))?.versionIdentity).toBe(
      "run43|s3://b",
    );
  });

  it("leaves an approved promotion alone", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(
      newPromotion({ requiredApprovals: 1 }),
      "slack:trigger-12",
    );
    await store.approve(promotion.id, "U0000002");

    const voided = await store.voidApprovals(
      promotion.id,
      "run43|s3://b",
      "version changed",
    );

    expect(voided).toBeUndefined();
    expect(await store.approvals(promotion.id)).toEqual(["U0000002"]);
  });
});

describe("PromotionStore.succeededAt", () => {
  it("keeps the first success of a version", async () => {
    const store = new PromotionStore(redis());
    const { promotion } = await store.create(
      newPromotion(),
      "slack:trigger-13",
    );

    await store.recordLive(promotion);
    const first = await store.succeededAt(promotion.model, "staging", "42");
    await store.recordLive(promotion);

    expect(first).toBeInstanceOf(Date);
    expect(await store.succeededAt(promotion.model, "staging", "42")).toEqual(
      first,
    );
    expect(
      await store.succeededAt(promotion.model, "staging", "41"),
    ).toBeUndefined();
    expect(await store.live(promotion.model, "staging")).toEqual({
      version: "42",
    });
  });
});
