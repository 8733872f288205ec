import { describe, expect, it } from "vitest";
import { Harness } from "../../scripts/harness.js";
import { freePort } from "../../src/dev-redis.js";
import { useGantry } from "./use-gantry.js";

describe("health", () => {
  const { harness } = useGantry();

  it("answers /healthz", async () => {
    const response = await fetch(`${harness().gantryUrl}/healthz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("answers /readyz with Redis up", async () => {
    const response = await fetch(`${harness().gantryUrl}/readyz`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready" });
  });
});

describe("readiness without Redis", () => {
  it("answers /readyz with 503", async () => {
    // A loopback port that nothing listens on plays a Redis that is down.
    const harness = new Harness({
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
    });
    try {
      await harness.startStandIns();
      await harness.startGantry();

      const ready = await fetch(`${harness.gantryUrl}/readyz`);
      const healthy = await fetch(`${harness.gantryUrl}/healthz`);

      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "redis unavailable" });
      expect(healthy.status).toBe(200);
    } finally {
      // NOTE: Gantry does not finish a graceful stop while Redis is
      // unreachable (closing the BullMQ workers waits for it), so it is killed.
      await harness.stopGantry("SIGKILL");
      await harness.stop();
    }
  });
});
