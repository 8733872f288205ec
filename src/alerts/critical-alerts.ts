import type { Redis } from "ioredis";
import { z } from "zod";
import { keys } from "../store/keys.js";
import type { ReceivedAlert } from "./received-alert.js";

/**
 * How long a critical alert counts as firing without word that it resolved.
 * Redelivered firings share a job id and do not refresh it.
 */
export const CRITICAL_ALERT_TTL_MS = 24 * 3_600_000;

const criticalAlertSchema = z.object({
  fingerprint: z.string(),
  alertname: z.string(),
  environment: z.string().optional(),
  startsAt: z.string(),
  ticket: z.string().optional(),
  expiresAt: z.number(),
});

/** A firing critical alert on a model, as the canary pipeline reads it. */
export type CriticalAlert = z.infer<typeof criticalAlertSchema>;

/** Records a firing critical alert on the model, so a canary bake can roll back on it. */
export async function recordCriticalAlert(params: {
  redis: Redis;
  modelKey: string;
  alert: ReceivedAlert;
  ticket: string | undefined;
  now?: number;
}): Promise<void> {
  const { alert } = params;
  const expiresAt = (params.now ?? Date.now()) + CRITICAL_ALERT_TTL_MS;
  const record: CriticalAlert = {
    fingerprint: alert.fingerprint,
    alertname: alert.labels.alertname ?? "",
    environment: alert.labels.environment,
    startsAt: alert.startsAt,
    ticket: params.ticket,
    expiresAt,
  };
  const key = keys.criticalAlerts(params.modelKey);
  await params.redis
    .multi()
    .hset(key, alert.fingerprint, JSON.stringify(record))
    .pexpire(key, CRITICAL_ALERT_TTL_MS)
    .exec();
}

export async function clearCriticalAlert(
  redis: Redis,
  modelKey: string,
  fingerprint: string,
): Promise<void> {
  await redis.hdel(keys.criticalAlerts(modelKey), fingerprint);
}

/** Returns the model's critical alerts that are firing and not expired. */
export async function firingCriticalAlerts(
  redis: Redis,
  modelKey: string,
  now = Date.now(),
): Promise<CriticalAlert[]> {
  const stored = await redis.hgetall(keys.criticalAlerts(modelKey));
  return Object.values(stored)
    .map((value) => criticalAlertSchema.safeParse(JSON.parse(value)))
    .flatMap((result) => (result.success ? [result.data] : []))
    .filter((alert) => alert.expiresAt > now);
}
