import { describe, expect, it } from "vitest";
import { keys } from "../../src/store/keys.js";
import { PromotionStore } from "../../src/store/promotion-store.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";

const { redis } = useRedis();
const MODEL = "example-user/Hello-World:churn";

async function deploying(store: PromotionStore, requestedBy = "U0000001") {
  const { promotion } = await store.create(
    newPromotion({ requestedBy, requiredApprovals: 0 }),
    `slack:${Math.random()}`,
  );
  await store.transition({
    id: promotion.id,
    from: ["pending_approval"],
    to: "approved",
    actor: "gantry",
  });
  const moved = await store.transition({
    id: promotion.id,
    from: ["approved"],
    to: "deploying",
    actor: "gantry",
    fields: { canaryStep: 1, stepPhase: "deploying" },
  });
  if (!moved.ok) throw new Error("not deploying");
  return moved.promotion;
}

describe("PromotionStore.update", () => {
  it("sets fields only while the expected values hold", async () => {
    const store = new PromotionStore(redis());
    const promotion = await deploying(store);

    const stale = await store.update({
      id: promotion.id,
      from: ["deploying"],
      expect: { canaryStep: 0 },
      fields: { stepPhase: "baking" },
      actor: "gantry",
    });
    const current = await store.update({
      id: promotion.id,
      from: ["deploying"],
      to: "canary",
      expect: {
        canaryStep: 1,
        stepPhase: "deploying",
        deploymentStep: undefined,
      },
      fields: { stepPhase: "baking" },
      actor: "github",
      action: "canary_bake",
    });

    expect(stale).toEqual({
      ok: false,
      reason: "conflict",
      current: "deploying",
    });
    expect(current.ok).toBe(true);
    expect(await store.get(promotion.id)).toMatchObject({
      status: "canary",
      stepPhase: "baking",
      rev: promotion.rev + 1,
    });
    const [event] = await redis().xrevrange(
      keys.auditModel(MODEL),
      "+",
      "-",
      "COUNT",
      1,
    );
    expect(event?.[1]).toEqual(
      expect.arrayContaining([
        "action",
        "transition",
        "from",
        "deploying",
        "to",
        "canary",
        "actor",
        "github",
      ]),
    );
  });

  it("rejects a move the state machine forbids", async () => {
    const store = new PromotionStore(redis());
    const promotion = await deploying(store);

    await expect(
      store.update({
        id: promotion.id,
        from: ["deploying"],
        to: "pending_approval",
        actor: "gantry",
      }),
    ).rejects.toThrow("deploying -> pending_approval");
  });
});

describe("PromotionStore.complete", () => {
  it("records the version live and in the history once", async () => {
    const store = new PromotionStore(redis());
    const promotion = await deploying(store);
    await redis().hset(keys.hold(MODEL, "staging"), "version", "40");

    const done = await store.complete({
      id: promotion.id,
      from: ["deploying"],
      actor: "github",
      history: "push",
      releaseHold: true,
    });
    const again = await store.complete({
      id: promotion.id,
      from: ["deploying"],
      actor: "github",
      history: "push",
      releaseHold: true,
    });

    expect(done).toMatchObject({ ok: true, holdReleased: true });
    expect(again).toMatchObject({ ok: false, current: "succeeded" });
    expect(await store.live(MODEL, "staging")).toEqual({ version: "42" });
    expect(
      await redis().lrange(keys.releaseHistory(MODEL, "staging"), 0, -1),
    ).toHaveLength(1);
    expect(await redis().exists(keys.hold(MODEL, "staging"))).toBe(0);
  });

  it("trims the history back to a rollback's version", async () => {
    const store = new PromotionStore(redis());
    for (const version of ["40", "42", "43"]) {
      await redis().rpush(
        keys.releaseHistory(MODEL, "staging"),
        JSON.stringify({ version, promotionId: `prm_${version}`, at: "" }),
      );
    }
    const promotion = await deploying(store, "gantry");

    await store.complete({
      id: promotion.id,
      from: ["deploying"],
      actor: "github",
      history: "trim",
      releaseHold: false,
    });

    const history = await redis().lrange(
      keys.releaseHistory(MODEL, "staging"),
      0,
      -1,
    );
    expect(
      history.map(
        (entry) => (JSON.parse(entry) as { version: string }).version,
      ),
    ).toEqual(["40", "42"]);
  });
});
