import { Redis } from "ioredis";

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
