import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { z } from "zod";
import { declaredEnvironments } from "./config/declared-environments.js";
import type { Services } from "./services.js";
import {
  environmentAuditTargets,
  runEnvironmentScript,
} from "./store/environment-scripts.js";
import { keys } from "./store/keys.js";

/** How long a lock lasts when the command names no duration: 4 hours. */
export const DEFAULT_LOCK_MS = 4 * 3_600_000;
/** Maximum duration of a lock: 24 hours. */
export const MAX_LOCK_MS = 24 * 3_600_000;

/** A hold one person has on an environment. */
export type EnvironmentLock = {
  environment: string;
  owner: string;
  reason: string;
  acquiredAt: Date;
  expiresAt: Date;
  token: string;
};

const storedLockSchema = z.object({
  environment: z.string(),
  owner: z.string(),
  reason: z.string().default(""),
  acquiredAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  token: z.string(),
  channel: z.string().default(""),
});

/** The lock as stored, with the channel where it was taken for reminders. */
export type StoredLock = EnvironmentLock & { channel: string };

/** Returns the lock held on the environment, if any. */
export async function findLock(
  services: Services,
  environment: string,
): Promise<EnvironmentLock | undefined> {
  const lock = await readLock(services.redis, environment);
  if (!lock) return undefined;

  return {
    environment: lock.environment,
    owner: lock.owner,
    reason: lock.reason,
    acquiredAt: lock.acquiredAt,
    expiresAt: lock.expiresAt,
    token: lock.token,
  };
}

/** Reads a lock, treating one past its expiry as released even before Redis evicts it. */
export async function readLock(
  redis: Redis,
  environment: string,
  now = new Date(),
): Promise<StoredLock | undefined> {
  const fields = await redis.hgetall(keys.environmentLock(environment));
  if (Object.keys(fields).length === 0) return undefined;

  const stored = storedLockSchema.parse(fields);
  const lock = {
    ...stored,
    acquiredAt: new Date(stored.acquiredAt),
    expiresAt: new Date(stored.expiresAt),
  };
  return lock.expiresAt > now ? lock : undefined;
}

export type AcquireOutcome =
  | { outcome: "acquired" | "extended"; lock: EnvironmentLock }
  | { outcome: "held"; lock: EnvironmentLock };

/**
 * Takes the lock on an environment for `durationMs`, or extends it when
 * its owner takes it again. Someone else's lock is returned untouched.
 */
export async function acquireLock(
  services: Services,
  params: {
    environment: string;
    owner: string;
    reason: string;
    durationMs: number;
    channel: string;
    now?: Date;
  },
): Promise<AcquireOutcome> {
  const now = params.now ?? new Date();
  const expiresAt = new Date(now.getTime() + params.durationMs);
  const token = randomBytes(16).toString("hex");
  const models = await modelsDeclaring(services, params.environment);

  const reply = (await runEnvironmentScript(
    services.redis,
    "gantryAcquireLock",
    {
      keys: [keys.environmentLock(params.environment), keys.environmentLocks()],
      args: [
        params.environment,
        token,
        params.owner,
        params.reason,
        now.toISOString(),
        expiresAt.toISOString(),
        expiresAt.getTime(),
        params.channel,
      ],
      audit: environmentAuditTargets(models),
    },
  )) as string[];

  const [outcome, ...rest] = reply;
  if (outcome === "held") {
    const [owner = "", reason = "", acquiredAt = "", heldUntil = ""] = rest;
    return {
      outcome: "held",
      lock: {
        environment: params.environment,
        owner,
        reason,
        acquiredAt: new Date(acquiredAt),
        expiresAt: new Date(heldUntil),
        token: rest[4] ?? "",
      },
    };
  }

  const held = await readLock(services.redis, params.environment, now);
  return {
    outcome: outcome === "lock_extended" ? "extended" : "acquired",
    lock: held ?? {
      environment: params.environment,
      owner: params.owner,
      reason: params.reason,
      acquiredAt: now,
      expiresAt,
      token: rest[0] ?? token,
    },
  };
}

export type ReleaseOutcome =
  | { outcome: "released"; owner: string }
  | { outcome: "stale"; owner: string }
  | { outcome: "missing" };

/**
 * Releases the lock only if it still carries `token` (compare-and-delete),
 * so a holder whose lock expired never removes a newer one.
 */
export async function releaseLock(
  services: Services,
  params: { environment: string; token: string; actor: string; now?: Date },
): Promise<ReleaseOutcome> {
  const now = params.now ?? new Date();
  const models = await modelsDeclaring(services, params.environment);

  const [outcome, owner = ""] = (await runEnvironmentScript(
    services.redis,
    "gantryReleaseLock",
    {
      keys: [keys.environmentLock(params.environment), keys.environmentLocks()],
      args: [params.environment, params.token, params.actor, now.toISOString()],
      audit: environmentAuditTargets(models),
    },
  )) as string[];

  if (outcome === "released" || outcome === "stale") return { outcome, owner };
  return { outcome: "missing" };
}

/** Returns the keys of the models that declare the environment, for audit events. */
export async function modelsDeclaring(
  services: Pick<Services, "registry">,
  environment: string,
): Promise<string[]> {
  return (await declaredEnvironments(services.registry)).get(environment) ?? [];
}

/**
 * Records once that an indexed lock ran out, removing it from the index.
 * Returns "held" while the lock exists; only one caller ever gets "expired".
 */
export async function sweepExpiredLock(
  services: Services,
  params: { environment: string; now?: Date },
): Promise<"held" | "expired" | "gone"> {
  const now = params.now ?? new Date();
  const models = await modelsDeclaring(services, params.environment);

  const outcome = await runEnvironmentScript(
    services.redis,
    "gantrySweepLock",
    {
      keys: [keys.environmentLock(params.environment), keys.environmentLocks()],
      args: [params.environment, now.toISOString()],
      audit: environmentAuditTargets(models),
    },
  );
  if (outcome === "held" || outcome === "expired") return outcome;
  return "gone";
}
