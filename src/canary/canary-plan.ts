import { parseDuration } from "../config/duration.js";
import type { EnvironmentConfig } from "../config/repo-config.js";
import type { CanaryPlan } from "../promotion.js";

/** Health checks run every minute unless the environment sets `health_interval`. */
const DEFAULT_INTERVAL_MS = 60_000;

/** A step may outlast its bake by this much unless the environment sets `step_timeout`. */
const DEFAULT_STEP_MARGIN_MS = 30 * 60_000;

/** Returns the canary plan of an environment with `canary` steps, or undefined. */
export function canaryPlanFor(
  policy: EnvironmentConfig | undefined,
): CanaryPlan | undefined {
  if (!policy?.canary || policy.canary.length === 0) return undefined;

  const bakeMs = policy.bake ? (parseDuration(policy.bake) ?? 0) : 0;
  const configuredInterval = policy.health_interval
    ? parseDuration(policy.health_interval)
    : undefined;
  const intervalMs =
    configuredInterval ??
    (bakeMs > 0 ? Math.min(DEFAULT_INTERVAL_MS, bakeMs) : DEFAULT_INTERVAL_MS);
  const stepTimeoutMs =
    (policy.step_timeout ? parseDuration(policy.step_timeout) : undefined) ??
    bakeMs + DEFAULT_STEP_MARGIN_MS;

  return {
    steps: [...policy.canary],
    bakeMs,
    intervalMs,
    stepTimeoutMs,
    health: policy.health,
  };
}

/** Returns how many health checks a step's bake runs: one per interval, and at least one. */
export function checkCount(plan: CanaryPlan): number {
  return Math.max(1, Math.ceil(plan.bakeMs / plan.intervalMs));
}

/**
 * Returns when check `check` (counted from 1) of a bake runs, in ms after
 * the bake started: one interval apart, and the last at the bake's end.
 */
export function checkOffsetMs(plan: CanaryPlan, check: number): number {
  return Math.min(check * plan.intervalMs, plan.bakeMs);
}
