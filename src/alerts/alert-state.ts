import type { Redis } from "ioredis";
import { keys } from "../store/keys.js";

/**
 * Record of what Gantry did for one alert fingerprint. Firings are distinguished by
 * their startsAt, so a retried or redelivered job skips the steps that its
 * firing already took.
 */
export type AlertState = {
  /** Jira key of the fingerprint's ticket. */
  ticket?: string;
  /** startsAt of the firing that last created, commented on or reopened the ticket. */
  ticketFiring?: string;
  /** startsAt of the firing whose resolution was handled. */
  resolvedFiring?: string;
  slackChannel?: string;
  slackTs?: string;
  /** startsAt of the firing that the Slack post is about. */
  slackFiring?: string;
};

const FIELDS = [
  "ticket",
  "ticketFiring",
  "resolvedFiring",
  "slackChannel",
  "slackTs",
  "slackFiring",
] as const;

/** State of a fingerprint that has not fired for this long is dropped; Jira's label search still finds its ticket. */
const STATE_TTL_MS = 90 * 86_400_000;

export async function readAlertState(
  redis: Redis,
  fingerprint: string,
): Promise<AlertState> {
  const values = await redis.hmget(keys.alert(fingerprint), ...FIELDS);
  const state: AlertState = {};
  FIELDS.forEach((field, index) => {
    const value = values[index];
    if (value) state[field] = value;
  });
  return state;
}

export async function updateAlertState(
  redis: Redis,
  fingerprint: string,
  fields: AlertState,
): Promise<void> {
  const key = keys.alert(fingerprint);
  await redis.multi().hset(key, fields).pexpire(key, STATE_TTL_MS).exec();
}
