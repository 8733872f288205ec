import type { Redis } from "ioredis";
import { keys } from "./keys.js";
import {
  ACQUIRE_LOCK,
  CLEAR_FREEZE,
  RECORD_FREEZE_BREAK,
  RELEASE_LOCK,
  SET_FREEZE,
  SWEEP_LOCK,
} from "./environment-lua.js";

type Script = (
  numberOfKeys: number,
  ...args: (string | number)[]
) => Promise<string | string[]>;

const SCRIPTS = {
  gantryAcquireLock: ACQUIRE_LOCK,
  gantryReleaseLock: RELEASE_LOCK,
  gantrySweepLock: SWEEP_LOCK,
  gantrySetFreeze: SET_FREEZE,
  gantryClearFreeze: CLEAR_FREEZE,
  gantryRecordFreezeBreak: RECORD_FREEZE_BREAK,
} as const;

export type ScriptName = keyof typeof SCRIPTS;

/** The audit streams an event goes to, and the model each stream's copy names. */
export type AuditTargets = { streams: string[]; models: string[] };

/**
 * Returns the targets of an event about a whole environment: the global
 * stream (naming no model) and the stream of each model that declares it.
 */
export function environmentAuditTargets(
  modelKeys: readonly string[],
): AuditTargets {
  return {
    streams: [keys.auditAll(), ...modelKeys.map((key) => keys.auditModel(key))],
    models: ["", ...modelKeys],
  };
}

/**
 * Runs one of the environment scripts, defining them on the connection the
 * first time. `keys` come before the audit streams and `args` before their
 * models, as each script's comment lays out.
 */
export async function runEnvironmentScript(
  redis: Redis,
  name: ScriptName,
  params: { keys: string[]; args: (string | number)[]; audit: AuditTargets },
): Promise<string | string[]> {
  if (!(name in redis)) {
    for (const [command, lua] of Object.entries(SCRIPTS)) {
      redis.defineCommand(command, { lua });
    }
  }

  const script = (redis as unknown as Record<ScriptName, Script>)[name];
  const allKeys = [...params.keys, ...params.audit.streams];
  return script.call(
    redis,
    allKeys.length,
    ...allKeys,
    ...params.args,
    ...params.audit.models,
  );
}
