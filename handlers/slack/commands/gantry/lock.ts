import {
  acquireLock,
  DEFAULT_LOCK_MS,
} from "../../../../src/environment-locks.js";
import { lockHeld, lockTaken } from "../../../../templates/lock-messages.js";
import {
  ephemeral,
  inChannel,
  usageError,
  type GantryContext,
  type GantryReply,
} from "./context.js";
import { resolveEnvironment } from "./resolve-environment.js";

/** Takes or extends the user's lock on an environment and announces it in the channel. */
export async function runLock(
  context: GantryContext,
  command: {
    environment: string;
    durationMs: number | undefined;
    reason: string;
  },
): Promise<GantryReply> {
  const { services, now } = context;
  const resolved = await resolveEnvironment(
    services.registry,
    command.environment,
  );
  if (!resolved.ok) return usageError("lock", resolved.error);

  const result = await acquireLock(services, {
    environment: command.environment,
    owner: context.user,
    reason: command.reason,
    durationMs: command.durationMs ?? DEFAULT_LOCK_MS,
    channel: context.channel,
    now,
  });
  if (result.outcome === "held")
    return ephemeral(lockHeld({ lock: result.lock, now }));

  services.log.info(
    {
      environment: command.environment,
      user: context.user,
      expiresAt: result.lock.expiresAt.toISOString(),
      outcome: result.outcome,
    },
    "environment locked",
  );
  return inChannel(
    lockTaken({ lock: result.lock, extended: result.outcome === "extended" }),
  );
}
