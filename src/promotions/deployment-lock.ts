import { randomBytes } from "node:crypto";
import { GantryError } from "../errors.js";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";

/**
 * How long one worker may hold a step's deployment lock; a worker that dies
 * holding it blocks the step for at most this long.
 * NOTE: four GitHub calls (find, repository, branch, create) of up to 10 s
 * each (CALL_TIMEOUT_MS in src/runtime.ts) can outlast it. Another worker
 * could then create a second deployment, but only a job that a restart or
 * BullMQ's stalled-job check started at that moment.
 */
const LOCK_TTL_MS = 15_000;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * Runs `work` while holding the lock on creating a promotion step's
 * deployment, so two workers (a retried job and a reconciled one) never
 * both create it. When another worker has the lock, throws a retryable
 * error whose retryAfterMs makes the job wait until the lock expires.
 */
export async function withDeploymentLock<T>(
  services: Services,
  params: { promotionId: string; step: number },
  work: () => Promise<T>,
): Promise<T> {
  const key = keys.deploymentLock(params.promotionId, params.step);
  const token = randomBytes(8).toString("hex");
  const taken = await services.redis.set(key, token, "PX", LOCK_TTL_MS, "NX");
  if (taken !== "OK") {
    const left = await services.redis.pttl(key);
    throw new GantryError(
      "conflict",
      `another worker is creating the deployment of promotion ${params.promotionId}, step ${params.step + 1}; this try waits for it`,
      { retryable: true, retryAfterMs: Math.max(left, 100) },
    );
  }

  try {
    return await work();
  } finally {
    await services.redis.eval(RELEASE, 1, key, token);
  }
}
