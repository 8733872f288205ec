import type { ModelEntry } from "../config/config-registry.js";
import { findActiveFreeze, type Freeze } from "../environment-freezes.js";
import { readLock, type EnvironmentLock } from "../environment-locks.js";
import {
  isTerminal,
  PROMOTION_STATUSES,
  type Promotion,
} from "../promotion.js";
import type { Services } from "../services.js";

export type EnvironmentStatus = {
  name: string;
  liveVersion: string | undefined;
  lock: EnvironmentLock | undefined;
  freeze: Freeze | undefined;
};

export type ModelStatus = {
  key: string;
  name: string;
  environments: EnvironmentStatus[];
  /** Promotions not yet in a final status, newest first. */
  inFlight: Promotion[];
};

/** Reads what runs where for one model, and what is on its way. */
export async function modelStatus(
  services: Services,
  params: { entry: ModelEntry; now: Date },
): Promise<ModelStatus> {
  const { entry, now } = params;
  const environments = await Promise.all(
    entry.order.map(async (name) => ({
      name,
      liveVersion: (await services.store.live(entry.key, name))?.version,
      lock: await readLock(services.redis, name, now),
      freeze: await findActiveFreeze(services, {
        environment: name,
        entry,
        now,
      }),
    })),
  );
  const inFlight = await services.store.listByStatus(
    entry.key,
    PROMOTION_STATUSES.filter((status) => !isTerminal(status)),
  );

  return { key: entry.key, name: entry.name, environments, inFlight };
}
