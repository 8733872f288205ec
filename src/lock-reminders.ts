import { lockReminder } from "../templates/lock-messages.js";
import { readLock, sweepExpiredLock } from "./environment-locks.js";
import type { ScheduledTask } from "./schedules.js";
import type { Services } from "./services.js";
import { keys } from "./store/keys.js";

/** A held lock is brought up again in its channel after every hour it is held. */
export const REMINDER_INTERVAL_MS = 3_600_000;

/** Checks locks every minute; each check's work is keyed, so replicas may all run it. */
export function lockReminderTask(services: Services): ScheduledTask {
  return {
    name: "lock-reminders",
    expression: "* * * * *",
    task: async () => {
      await remindLockHolders(services);
    },
  };
}

/**
 * Visits every indexed lock: posts one reminder per full hour held to the
 * channel where the lock was taken, and records a lock that ran out. A
 * reminder is claimed with SET NX before it is posted, so two replicas
 * ticking together post it once; a failed post gives the claim back so the
 * next tick tries again.
 * Returns the environments reminded and those whose lock expired.
 */
export async function remindLockHolders(
  services: Services,
  now = new Date(),
): Promise<{ reminded: string[]; expired: string[] }> {
  const reminded: string[] = [];
  const expired: string[] = [];

  for (const environment of await services.redis.hkeys(
    keys.environmentLocks(),
  )) {
    const lock = await readLock(services.redis, environment, now);
    if (!lock) {
      const outcome = await sweepExpiredLock(services, { environment, now });
      if (outcome === "expired") expired.push(environment);
      continue;
    }

    const slot = Math.floor(
      (now.getTime() - lock.acquiredAt.getTime()) / REMINDER_INTERVAL_MS,
    );
    if (slot < 1 || lock.channel === "") continue;

    const claim = keys.once("lock-reminder", `${lock.token}:${slot}`);
    const claimed = await services.redis.set(
      claim,
      "1",
      "PX",
      REMINDER_INTERVAL_MS * 2,
      "NX",
    );
    if (claimed !== "OK") continue;

    try {
      await services.slack.chat.postMessage({
        channel: lock.channel,
        ...lockReminder({ lock, now }),
      });
      reminded.push(environment);
    } catch (error) {
      await services.redis.del(claim);
      services.log.warn(
        { err: error, environment, channel: lock.channel },
        "posting the lock reminder failed; the next check tries again",
      );
    }
  }
  return { reminded, expired };
}
