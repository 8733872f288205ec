import { Redis } from "ioredis";
import type { Logger } from "./logger.js";

export type { Redis };

/**
 * Opens a Redis connection. BullMQ workers block on Redis and need
 * `maxRetriesPerRequest: null`, so every connection uses it and callers
 * that want fast failure time out on their own.
 */
export function createRedis(url: string, name = "gantry"): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    lazyConnect: false,
  });
}

/** Resolves true when Redis answers PING within the timeout. */
export async function redisAnswers(
  redis: Redis,
  timeoutMs = 1000,
): Promise<boolean> {
  if (redis.status !== "ready") return false;

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const answer = await Promise.race([
      redis.ping().then((reply) => reply === "PONG"),
      timeout,
    ]);
    return answer;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Returns an error listener that logs the first Redis connection error and
 * then at most one a minute with a count, since ioredis reports every
 * reconnect attempt while Redis is down.
 */
export function throttledErrorLog(
  log: Logger,
  fields: Record<string, unknown>,
): (error: Error) => void {
  let lastLoggedAt = 0;
  let suppressed = 0;
  return (error) => {
    const now = Date.now();
    if (now - lastLoggedAt < 60_000) {
      suppressed++;
      return;
    }
    log.warn({ ...fields, err: error, suppressed }, "redis error");
    lastLoggedAt = now;
    suppressed = 0;
  };
}
