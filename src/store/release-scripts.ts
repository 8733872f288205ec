import type { Redis } from "ioredis";
import {
  CLAIM_SLOT,
  COMPLETE,
  HOLD,
  RELEASE_SLOT,
  TAKE_SLOT,
  UPDATE,
} from "./release-lua.js";

const SCRIPTS = {
  gantryUpdate: UPDATE,
  gantryComplete: COMPLETE,
  gantryHold: HOLD,
  gantryClaimSlot: CLAIM_SLOT,
  gantryReleaseSlot: RELEASE_SLOT,
  gantryTakeSlot: TAKE_SLOT,
} as const;

export type ReleaseScript = keyof typeof SCRIPTS;

type Script = (
  numberOfKeys: number,
  ...args: (string | number)[]
) => Promise<unknown>;

/**
 * Runs one of the release scripts (see release-lua.ts for each one's keys
 * and arguments), defining them on the connection the first time.
 */
export async function runReleaseScript(
  redis: Redis,
  name: ReleaseScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  if (!(name in redis)) {
    for (const [command, lua] of Object.entries(SCRIPTS)) {
      redis.defineCommand(command, { lua });
    }
  }
  const script = (redis as unknown as Record<ReleaseScript, Script>)[name];
  return script.call(redis, keys.length, ...keys, ...args);
}
