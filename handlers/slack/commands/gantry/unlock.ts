import { readLock, releaseLock } from "../../../../src/environment-locks.js";
import {
  lockChanged,
  lockReleased,
  notLocked,
} from "../../../../templates/lock-messages.js";
import {
  ephemeral,
  inChannel,
  usageError,
  type GantryContext,
  type GantryReply,
} from "./context.js";
import { resolveEnvironment } from "./resolve-environment.js";

/**
 * Releases the lock on an environment with the token read just before, so
 * a lock that changed hands in between is left alone.
 */
export async function runUnlock(
  context: GantryContext,
  command: { environment: string },
): Promise<GantryReply> {
  const { services, now } = context;
  const lock = await readLock(services.redis, command.environment, now);
  if (!lock) {
    const resolved = await resolveEnvironment(
      services.registry,
      command.environment,
    );
    if (!resolved.ok) return usageError("unlock", resolved.error);
    return ephemeral(notLocked(command.environment));
  }

  const released = await releaseLock(services, {
    environment: command.environment,
    token: lock.token,
    actor: context.user,
    now,
  });
  if (released.outcome === "stale")
    return ephemeral(
      lockChanged({
        environment: command.environment,
        owner: released.owner,
      }),
    );
  if (released.outcome === "missing")
    return ephemeral(notLocked(command.environment));

  services.log.info(
    {
      environment: command.environment,
      user: context.user,
      owner: released.owner,
    },
    "environment unlocked",
  );
  return inChannel(
    lockReleased({
      environment: command.environment,
      owner: released.owner,
      releasedBy: context.user,
    }),
  );
}
