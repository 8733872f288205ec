import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { GantryError } from "../errors.js";
import { keys } from "../store/keys.js";

/** Deletes the lock only while it still holds this holder's token. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

export type LockOptions = {
  /** How long a crashed holder keeps the lock; longer than the Jira calls it guards. */
  ttlMs?: number;
  /** How long to wait for another holder before the job is retried. */
  waitMs?: number;
};

/**
 * Runs `task` while holding the fingerprint's lock (SET NX PX with a random
 * token), so that replicas and concurrent jobs decide on one fingerprint's
 * ticket one at a time. A job that cannot get the lock in time fails with a
 * retryable error and BullMQ tries it again later.
 */
export async function withFingerprintLock<T>(
  redis: Redis,
  fingerprint: string,
  task: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const key = keys.alertLock(fingerprint);
  const token = randomUUID();
  const ttlMs = options.ttlMs ?? 60_000;
  const deadline = Date.now() + (options.waitMs ?? 20_000);

  while ((await redis.set(key, token, "PX", ttlMs, "NX")) !== "OK") {
    if (Date.now() > deadline) {
      throw new GantryError(
        "conflict",
        `another job still holds the lock on alert ${fingerprint}; it will be retried`,
        { retryable: true },
      );
    }
    await new Promise((resolve) =>
      setTimeout(resolve, 25 + Math.random() * 75),
    );
  }

  try {
    return await task();
  } finally {
    await redis.eval(RELEASE, 1, key, token);
  }
}
