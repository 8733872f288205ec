import type { Redis } from "ioredis";
import { z } from "zod";
import type { ModelEntry } from "./config/config-registry.js";
import { modelsDeclaring } from "./environment-locks.js";
import { activeConfigWindow } from "./freeze-windows.js";
import type { Services } from "./services.js";
import {
  environmentAuditTargets,
  runEnvironmentScript,
} from "./store/environment-scripts.js";
import { keys } from "./store/keys.js";

/** How long a recorded freeze break is remembered to ignore a repeated click: 30 days. */
const FREEZE_BREAK_ONCE_SECONDS = 30 * 86_400;

/** A window during which promotions to an environment need an explicit break. */
export type Freeze = {
  environment: string;
  reason: string;
  startsAt: Date;
  endsAt: Date;
  source: "command" | "config";
  by: string | undefined;
};

const storedFreezeSchema = z.object({
  environment: z.string(),
  reason: z.string(),
  startsAt: z.iso.datetime(),
  endsAt: z.iso.datetime(),
  by: z.string(),
});

/**
 * Returns the freeze in force for the environment at `now`: one set by
 * command or a window from the model's configuration. When both are in
 * force, returns the one that ends last, because the environment stays
 * frozen until then.
 */
export async function findActiveFreeze(
  services: Services,
  params: { environment: string; entry: ModelEntry; now: Date },
): Promise<Freeze | undefined> {
  const { environment, now } = params;
  const byCommand = await findCommandFreeze(services.redis, environment, now);
  const window = activeConfigWindow(params.entry.freezes, environment, now);
  const byConfig: Freeze | undefined = window && {
    environment,
    ...window,
    source: "config",
    by: undefined,
  };

  if (!byCommand) return byConfig;
  if (!byConfig) return byCommand;
  return byConfig.endsAt > byCommand.endsAt ? byConfig : byCommand;
}

/** Returns the freeze set by command on the environment, if it is in force at `now`. */
export async function findCommandFreeze(
  redis: Redis,
  environment: string,
  now: Date,
): Promise<Freeze | undefined> {
  const fields = await redis.hgetall(keys.environmentFreeze(environment));
  if (Object.keys(fields).length === 0) return undefined;

  const stored = storedFreezeSchema.parse(fields);
  const freeze: Freeze = {
    environment: stored.environment,
    reason: stored.reason,
    startsAt: new Date(stored.startsAt),
    endsAt: new Date(stored.endsAt),
    source: "command",
    by: stored.by,
  };
  return freeze.startsAt <= now && now < freeze.endsAt ? freeze : undefined;
}

/**
 * Freezes an environment for every model from `now` for `durationMs`,
 * replacing a freeze set earlier by command.
 */
export async function freezeEnvironment(
  services: Services,
  params: {
    environment: string;
    durationMs: number;
    reason: string;
    user: string;
    now?: Date;
  },
): Promise<{ outcome: "frozen" | "replaced"; freeze: Freeze }> {
  const now = params.now ?? new Date();
  const freeze: Freeze = {
    environment: params.environment,
    reason: params.reason,
    startsAt: now,
    endsAt: new Date(now.getTime() + params.durationMs),
    source: "command",
    by: params.user,
  };
  const models = await modelsDeclaring(services, params.environment);

  const outcome = await runEnvironmentScript(
    services.redis,
    "gantrySetFreeze",
    {
      keys: [keys.environmentFreeze(params.environment)],
      args: [
        params.environment,
        params.reason,
        freeze.startsAt.toISOString(),
        freeze.endsAt.toISOString(),
        freeze.endsAt.getTime(),
        params.user,
      ],
      audit: environmentAuditTargets(models),
    },
  );
  return { outcome: outcome === "replaced" ? "replaced" : "frozen", freeze };
}

/** Lifts the freeze set by command; windows from configuration stay in force. */
export async function unfreezeEnvironment(
  services: Services,
  params: { environment: string; user: string; now?: Date },
): Promise<
  | { outcome: "cleared"; reason: string; endsAt: Date; by: string }
  | { outcome: "none" }
> {
  const now = params.now ?? new Date();
  const models = await modelsDeclaring(services, params.environment);

  const [outcome, reason = "", endsAt = "", by = ""] =
    (await runEnvironmentScript(services.redis, "gantryClearFreeze", {
      keys: [keys.environmentFreeze(params.environment)],
      args: [params.environment, params.user, now.toISOString()],
      audit: environmentAuditTargets(models),
    })) as string[];

  if (outcome !== "cleared") return { outcome: "none" };
  return { outcome, reason, endsAt: new Date(endsAt), by };
}

/**
 * Records in the audit streams that a promotion went ahead during a freeze,
 * with who broke it and why. A repeat for the same promotion and user
 * writes nothing.
 */
export async function recordFreezeBreak(
  services: Services,
  params: {
    environment: string;
    promotionId: string;
    user: string;
    reason: string;
  },
): Promise<void> {
  const promotion = await services.store.get(params.promotionId);
  const model = promotion?.model;
  const audit = model
    ? {
        streams: [keys.auditAll(), keys.auditModel(model)],
        models: [model, model],
      }
    : { streams: [keys.auditAll()], models: [""] };

  const outcome = await runEnvironmentScript(
    services.redis,
    "gantryRecordFreezeBreak",
    {
      keys: [keys.once("freeze-break", `${params.promotionId}:${params.user}`)],
      args: [
        params.environment,
        params.promotionId,
        promotion?.version ?? "",
        params.user,
        params.reason,
        new Date().toISOString(),
        FREEZE_BREAK_ONCE_SECONDS,
      ],
      audit,
    },
  );
  services.log.info(
    {
      promotionId: params.promotionId,
      environment: params.environment,
      user: params.user,
      outcome,
    },
    "freeze break recorded",
  );
}
