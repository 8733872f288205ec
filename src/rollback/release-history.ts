import { z } from "zod";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";

const entrySchema = z.object({
  version: z.string(),
  promotionId: z.string(),
  at: z.string(),
});

/** One version that succeeded in an environment. */
export type HistoryEntry = z.infer<typeof entrySchema>;

/**
 * Reads the versions that succeeded in an environment, oldest first. The
 * list ends with the version that runs there now, because a rollback trims
 * the entries after its target.
 */
export async function releaseHistory(
  services: Pick<Services, "redis">,
  model: string,
  environment: string,
): Promise<HistoryEntry[]> {
  const raw = await services.redis.lrange(
    keys.releaseHistory(model, environment),
    0,
    -1,
  );
  return raw.flatMap((text) => {
    const parsed = entrySchema.safeParse(JSON.parse(text));
    return parsed.success ? [parsed.data] : [];
  });
}

/**
 * Picks the version a rollback deploys: the newest one in the history that
 * is not the version being rolled back. Returns undefined when there is
 * none, so there is nothing to go back to.
 */
export function rollbackTarget(
  history: readonly HistoryEntry[],
  fromVersion: string,
): HistoryEntry | undefined {
  for (let index = history.length - 1; index >= 0; index--) {
    const entry = history[index];
    if (entry && entry.version !== fromVersion) return entry;
  }
  return undefined;
}
