import type { ModelEntry } from "./config/config-registry.js";
import { formatDuration, parseDuration } from "./config/duration.js";
import { findActiveFreeze, type Freeze } from "./environment-freezes.js";
import { findLock } from "./environment-locks.js";
import type { Services } from "./services.js";

/** One reason a promotion cannot go ahead now, with what would clear it. */
export type Blocker = {
  code:
    "stage_order" | "soaking" | "frozen" | "locked" | "gate_failed" | "held";
  message: string;
  fix: string;
};

export type PreconditionParams = {
  entry: ModelEntry;
  environment: string;
  version: string;
  /** The person asking; a lock they hold does not block them. */
  user: string;
  /** Set when an approver breaks a freeze; the freeze then does not block. */
  breakFreeze?: boolean;
  /** False to skip stage order and soak, for versions the registry does not name. */
  stageOrder?: boolean;
  now?: Date;
};

export type PreconditionResult = {
  blockers: Blocker[];
  freeze: Freeze | undefined;
};

/**
 * Checks what must hold before a version may be promoted into an
 * environment: the version succeeded in the environment named by `after`
 * and soaked there for the target's `soak` time, no freeze is in force
 * (unless broken), and no one else holds the environment's lock.
 */
export async function checkPreconditions(
  services: Services,
  params: PreconditionParams,
): Promise<PreconditionResult> {
  const now = params.now ?? new Date();
  const blockers: Blocker[] = [];

  if (params.stageOrder ?? true) {
    blockers.push(...(await stageOrderBlockers(services, params, now)));
  }

  const freeze = await findActiveFreeze(services, {
    environment: params.environment,
    entry: params.entry,
    now,
  });
  if (freeze && !params.breakFreeze) {
    blockers.push({
      code: "frozen",
      message: `${params.environment} is frozen until ${freeze.endsAt.toISOString()}: ${freeze.reason}`,
      fix: `wait until the freeze ends, or have an approver add --break-freeze "reason" to /promote`,
    });
  }

  const lock = await findLock(services, params.environment);
  if (lock && lock.owner !== params.user) {
    blockers.push({
      code: "locked",
      message: `${params.environment} is locked by <@${lock.owner}> until ${lock.expiresAt.toISOString()}: ${lock.reason}`,
      fix: `ask <@${lock.owner}> to run /gantry unlock ${params.environment}`,
    });
  }

  return { blockers, freeze };
}

async function stageOrderBlockers(
  services: Services,
  params: PreconditionParams,
  now: Date,
): Promise<Blocker[]> {
  const target = params.entry.environments[params.environment];
  const previous = target?.after;
  if (!target || !previous) return [];

  const name = params.entry.name;
  const succeededAt = await services.store.succeededAt(
    params.entry.key,
    previous,
    params.version,
  );
  if (!succeededAt) {
    return [
      {
        code: "stage_order",
        message: `version ${params.version} of ${name} has not succeeded in ${previous}, which comes before ${params.environment}`,
        fix: `promote it to ${previous} first: /promote ${name} ${params.version} ${previous}`,
      },
    ];
  }

  const soakMs = target.soak ? (parseDuration(target.soak) ?? 0) : 0;
  const soaked = now.getTime() - succeededAt.getTime();
  if (soaked >= soakMs) return [];

  const readyAt = new Date(succeededAt.getTime() + soakMs);
  return [
    {
      code: "soaking",
      message: `version ${params.version} has been in ${previous} for ${formatDuration(soaked)} of the ${target.soak} soak time`,
      fix: `try again after ${readyAt.toISOString()}`,
    },
  ];
}
