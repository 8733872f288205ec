import { z } from "zod";
import type { CheckSummary } from "../../templates/canary-notes.js";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";
import type { HealthResult } from "./health-check.js";

const storedSchema = z.object({
  verdict: z.enum(["pass", "fail", "no_data"]),
  values: z.array(z.number()),
  detail: z.string(),
  at: z.string(),
});

/** Records one health check of a canary step; a repeated check overwrites its own entry. */
export async function recordCheck(
  services: Services,
  params: { promotionId: string; step: number; check: number },
  result: HealthResult,
): Promise<void> {
  const value = JSON.stringify({ ...result, at: new Date().toISOString() });
  await services.redis
    .multi()
    .hset(
      keys.canaryChecks(params.promotionId),
      `${params.step}:${params.check}`,
      value,
    )
    .pexpire(keys.canaryChecks(params.promotionId), 90 * 86_400_000)
    .exec();
}

/** Sums up the health checks of one canary step, for its thread note. */
export async function summarizeChecks(
  services: Services,
  promotionId: string,
  step: number,
): Promise<CheckSummary> {
  const stored = await services.redis.hgetall(keys.canaryChecks(promotionId));
  const checks = Object.entries(stored)
    .filter(([field]) => field.startsWith(`${step}:`))
    .map(([field, value]) => ({
      check: Number(field.slice(field.indexOf(":") + 1)),
      result: storedSchema.safeParse(JSON.parse(value)),
    }))
    .flatMap(({ check, result }) =>
      result.success ? [{ check, ...result.data }] : [],
    )
    .sort((a, b) => a.check - b.check);

  return {
    checks: checks.length,
    passed: checks.filter((check) => check.verdict === "pass").length,
    noData: checks.filter((check) => check.verdict === "no_data").length,
    last: checks.at(-1)?.detail,
  };
}
