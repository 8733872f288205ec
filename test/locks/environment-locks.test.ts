import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAuditEntry } from "../../src/audit/audit-event.js";
import {
  acquireLock,
  findLock,
  readLock,
  releaseLock,
  sweepExpiredLock,
} from "../../src/environment-locks.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { useRedis } from "../helpers/redis.js";
import { storeSampleConfig } from "../helpers/repo-config.js";
import { testServices } from "../helpers/services.js";

const { redis, url } = useRedis();
const HOUR = 3_600_000;
const CHURN = "example-user/Hello-World:churn";

let services: Services;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await storeSampleConfig(services.registry);
});
afterEach(async () => {
  await close();
});

function lockParams(
  owner: string,
  overrides: { now?: Date; durationMs?: number } = {},
) {
  return {
    environment: "production",
    owner,
    reason: "database migration",
    durationMs: overrides.durationMs ?? 4 * HOUR,
    channel: "C0RELEASES",
    now: overrides.now,
  };
}

async function auditActions(stream: string): Promise<string[]> {
  const entries = await redis().xrange(stream, "-", "+");
  return entries.map(parseAuditEntry).map((event) => {
    return `${event.action}:${event.actor}:${event.model}`;
  });
}

describe("acquireLock", () => {
  it("takes a free lock with owner, reason and expiry", async () => {
    const now = new Date();

    const result = await acquireLock(services, lockParams("U0000001", { now }));
    const found = await findLock(services, "production");

    expect(result.outcome).toBe("acquired");
    expect(found).toEqual({
      environment: "production",
      owner: "U0000001",
      reason: "database migration",
      acquiredAt: now,
      expiresAt: new Date(now.getTime() + 4 * HOUR),
      token: result.lock.token,
    });
    expect(found?.token).toMatch(/^[0-9a-f]{32}$/);
    expect(
      await redis().pttl(keys.environmentLock("production")),
    ).toBeGreaterThan(4 * HOUR - 60_000);
  });

  it("leaves someone else's lock alone", async () => {
    const first = await acquireLock(services, lockParams("U0000001"));

    const second = await acquireLock(services, lockParams("U0000002"));

    expect(second.outcome).toBe("held");
    expect(second.lock.owner).toBe("U0000001");
    expect((await findLock(services, "production"))?.token).toBe(
      first.lock.token,
    );
  });

  it("extends the owner's own lock and keeps its token", async () => {
    const start = new Date();
    const first = await acquireLock(
      services,
      lockParams("U0000001", { now: start }),
    );
    const later = new Date(start.getTime() + HOUR);

    const again = await acquireLock(
      services,
      lockParams("U0000001", { now: later, durationMs: 2 * HOUR }),
    );

    expect(again.outcome).toBe("extended");
    expect(again.lock.token).toBe(first.lock.token);
    expect(again.lock.acquiredAt).toEqual(start);
    expect(again.lock.expiresAt).toEqual(new Date(later.getTime() + 2 * HOUR));
  });

  it("lets exactly one of concurrent attempts win", async () => {
    const users = Array.from(
      { length: 12 },
      (_, i) => `U10000${String(i).padStart(2, "0")}`,
    );
    const connections = users.map(() => redis().duplicate());

    const results = await Promise.all(
      users.map((user, i) =>
        acquireLock(
          { ...services, redis: connections[i] ?? redis() },
          lockParams(user),
        ),
      ),
    );
    for (const connection of connections) connection.disconnect();

    const winners = results.filter((result) => result.outcome === "acquired");
    expect(winners).toHaveLength(1);
    expect(results.filter((result) => result.outcome === "held")).toHaveLength(
      11,
    );
    expect((await findLock(services, "production"))?.owner).toBe(
      winners[0]?.lock.owner,
    );
    expect(await auditActions(keys.auditAll())).toEqual([
      `lock:${winners[0]?.lock.owner}:`,
    ]);
  });

  it("audits to the global stream and each model declaring the environment", async () => {
    await acquireLock(services, lockParams("U0000001"));

    expect(await auditActions(keys.auditAll())).toEqual(["lock:U0000001:"]);
    expect(await auditActions(keys.auditModel(CHURN))).toEqual([
      `lock:U0000001:${CHURN}`,
    ]);
  });
});

describe("releaseLock", () => {
  it("removes the lock with the holder's token", async () => {
    const { lock } = await acquireLock(services, lockParams("U0000001"));

    const released = await releaseLock(services, {
      environment: "production",
      token: lock.token,
      actor: "U0000002",
    });

    expect(released).toEqual({ outcome: "released", owner: "U0000001" });
    expect(await findLock(services, "production")).toBeUndefined();
    expect(await redis().hexists(keys.environmentLocks(), "production")).toBe(
      0,
    );
    const [, unlock] = (
      await redis().xrange(keys.auditModel(CHURN), "-", "+")
    ).map(parseAuditEntry);
    expect(unlock?.action).toBe("unlock");
    expect(unlock?.actor).toBe("U0000002");
    expect(unlock?.fields.holder).toBe("U0000001");
    expect(unlock?.reason).toBe("database migration");
  });

  it("never removes a newer lock with a stale token", async () => {
    const stale = await acquireLock(services, lockParams("U0000001"));
    await redis().del(keys.environmentLock("production"));
    const newer = await acquireLock(services, lockParams("U0000002"));

    const released = await releaseLock(services, {
      environment: "production",
      token: stale.lock.token,
      actor: "U0000001",
    });

    expect(released).toEqual({ outcome: "stale", owner: "U0000002" });
    expect((await findLock(services, "production"))?.token).toBe(
      newer.lock.token,
    );
    expect(await auditActions(keys.auditAll())).toEqual([
      "lock:U0000001:",
      "lock:U0000002:",
    ]);
  });

  it("reports a lock that is already gone", async () => {
    const released = await releaseLock(services, {
      environment: "production",
      token: "0".repeat(32),
      actor: "U0000001",
    });

    expect(released).toEqual({ outcome: "missing" });
    expect(await redis().xlen(keys.auditAll())).toBe(0);
  });
});

describe("lock expiry", () => {
  it("treats a lock past its expiry as released", async () => {
    const now = new Date();
    await acquireLock(
      services,
      lockParams("U0000001", { now, durationMs: HOUR }),
    );

    const before = await readLock(
      redis(),
      "production",
      new Date(now.getTime() + HOUR - 1),
    );
    const at = await readLock(
      redis(),
      "production",
      new Date(now.getTime() + HOUR),
    );

    expect(before?.owner).toBe("U0000001");
    expect(at).toBeUndefined();
  });

  it("lets Redis evict the lock, records it once and frees the environment", async () => {
    const start = new Date(Date.now() - 4 * HOUR + 300);
    await acquireLock(services, lockParams("U0000001", { now: start }));
    await waitUntilGone(keys.environmentLock("production"));

    const sweeps = await Promise.all([
      sweepExpiredLock(services, { environment: "production" }),
      sweepExpiredLock(
        { ...services, redis: redis() },
        { environment: "production" },
      ),
    ]);
    const next = await acquireLock(services, lockParams("U0000002"));

    expect(sweeps.sort()).toEqual(["expired", "gone"]);
    expect(next.outcome).toBe("acquired");
    const events = (await redis().xrange(keys.auditModel(CHURN), "-", "+")).map(
      parseAuditEntry,
    );
    expect(events.map((event) => event.action)).toEqual([
      "lock",
      "lock_expired",
      "lock",
    ]);
    expect(events[1]?.fields.holder).toBe("U0000001");
  });
});

async function waitUntilGone(key: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while ((await redis().exists(key)) === 1) {
    if (Date.now() > deadline)
      throw new Error(`${key} did not expire within 5s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
