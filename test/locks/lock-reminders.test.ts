import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { acquireLock } from "../../src/environment-locks.js";
import { remindLockHolders } from "../../src/lock-reminders.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { useRedis } from "../helpers/redis.js";
import { storeSampleConfig } from "../helpers/repo-config.js";
import { SLACK_API, testServices } from "../helpers/services.js";

const { redis, url } = useRedis();
const HOUR = 3_600_000;
const START = new Date();

let replicas: { services: Services; close: () => Promise<void> }[];
let services: Services;

beforeEach(async () => {
  replicas = [testServices(url), testServices(url)];
  services = replicas[0]?.services as Services;
  await storeSampleConfig(services.registry);
  await acquireLock(services, {
    environment: "production",
    owner: "U0000001",
    reason: "database migration",
    durationMs: 4 * HOUR,
    channel: "C0RELEASES",
    now: START,
  });
});
afterEach(async () => {
  for (const replica of replicas) await replica.close();
});

/** Intercepts chat.postMessage for the rest of the test and records each body. */
function nockPostMessage(reply: Record<string, unknown> = { ok: true }) {
  const posted: Record<string, any>[] = [];
  nock(SLACK_API)
    .post("/api/chat.postMessage")
    .reply(200, (_uri, body) => {
      posted.push(
        typeof body === "string"
          ? Object.fromEntries(new URLSearchParams(body))
          : body,
      );
      return { ...reply, channel: "C0RELEASES", ts: "1715679000.000100" };
    })
    .persist();
  return posted;
}

describe("remindLockHolders", () => {
  it("stays quiet in the first hour", async () => {
    const posted = nockPostMessage();

    const result = await remindLockHolders(
      services,
      new Date(START.getTime() + HOUR - 1),
    );

    expect(result).toEqual({ reminded: [], expired: [] });
    expect(posted).toEqual([]);
    // The interceptor was there only to catch a wrong post.
    nock.cleanAll();
  });

  it("posts once per hour held, even from two replicas at once", async () => {
    const posted = nockPostMessage();
    const atOneHour = new Date(START.getTime() + HOUR);

    const results = await Promise.all(
      replicas.map((replica) => remindLockHolders(replica.services, atOneHour)),
    );
    const sameHour = await remindLockHolders(
      services,
      new Date(START.getTime() + 1.5 * HOUR),
    );
    const nextHour = await remindLockHolders(
      services,
      new Date(START.getTime() + 2 * HOUR),
    );

    expect(results.flatMap((result) => result.reminded)).toEqual([
      "production",
    ]);
    expect(sameHour.reminded).toEqual([]);
    expect(nextHour.reminded).toEqual(["production"]);
    expect(posted).toHaveLength(2);
    expect(posted[0]?.channel).toBe("C0RELEASES");
    expect(posted[0]?.text).toContain(
      "<@U0000001> has held the lock on `production` for 1h for “database migration”",
    );
    expect(posted[1]?.text).toContain("for 2h for");
  });

  it("tries again on the next check after a failed post", async () => {
    nock(SLACK_API)
      .post("/api/chat.postMessage")
      .reply(200, { ok: false, error: "channel_not_found" });
    const atOneHour = new Date(START.getTime() + HOUR);

    const failed = await remindLockHolders(services, atOneHour);
    const posted = nockPostMessage();
    const retried = await remindLockHolders(services, atOneHour);

    expect(failed.reminded).toEqual([]);
    expect(retried.reminded).toEqual(["production"]);
    expect(posted).toHaveLength(1);
  });

  it("records a lock that ran out", async () => {
    await redis().del(keys.environmentLock("production"));

    const result = await remindLockHolders(
      services,
      new Date(START.getTime() + HOUR),
    );

    expect(result).toEqual({ reminded: [], expired: ["production"] });
    expect(await redis().hlen(keys.environmentLocks())).toBe(0);
  });
});
