import { Redis } from "ioredis";
import { afterAll, beforeEach, inject } from "vitest";

/**
 * The Redis URL for this test file: a database of its own, chosen by the
 * vitest worker, so parallel files never see each other's keys.
 */
export function testRedisUrl(): string {
  const base = inject("redisUrl").replace(/\/\d+$/, "");
  const database = 1 + (Number(process.env.VITEST_POOL_ID ?? "1") % 15);
  return `${base}/${database}`;
}

/** Opens a Redis connection for the file and empties its database before each test. */
export function useRedis(): { redis: () => Redis; url: string } {
  const url = testRedisUrl();
  const connection = new Redis(url, { maxRetriesPerRequest: null });

  beforeEach(async () => {
    await connection.flushdb();
  });
  afterAll(() => {
    connection.disconnect();
  });
  return { redis: () => connection, url };
}
