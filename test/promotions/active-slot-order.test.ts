import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { claimSlot, releaseSlot } from "../../src/promotions/active-slot.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { REPO } from "../helpers/repo-config.js";
import { testServices } from "../helpers/services.js";

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

describe("active slot queue", () => {
  it("serves claims in arrival order", async () => {
    // Every promotion and claim in one millisecond, so ids share their time
    // prefix and queue scores tie: the queue must still keep arrival order.
    const now = vi.spyOn(Date, "now").mockReturnValue(1_796_400_000_000);
    const promotions = [];
    for (let i = 0; i < 12; i++) {
      const { promotion } = await services.store.create(
        newPromotion({ version: String(40 + i) }),
        `slack:order-${i}`,
      );
      await services.store.transition({
        id: promotion.id,
        from: ["pending_approval"],
        to: "approved",
        actor: "U0000002",
      });
      promotions.push(promotion);
    }

    for (const promotion of promotions) await claimSlot(services, promotion);
    now.mockRestore();
    const served: string[] = [];
    for (const promotion of promotions) {
      served.push(
        (await services.redis.get(keys.activePromotion(MODEL, "staging"))) ??
          "",
      );
      await releaseSlot(services, promotion);
    }

    expect(served).toEqual(promotions.map((promotion) => promotion.id));
  });
});
