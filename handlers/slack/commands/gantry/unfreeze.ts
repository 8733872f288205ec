import type { Freeze } from "../../../../src/environment-freezes.js";
import { unfreezeEnvironment } from "../../../../src/environment-freezes.js";
import { activeConfigWindow } from "../../../../src/freeze-windows.js";
import { notFrozen, unfrozen } from "../../../../templates/freeze-messages.js";
import {
  ephemeral,
  inChannel,
  usageError,
  type GantryContext,
  type GantryReply,
} from "./context.js";
import { resolveEnvironment } from "./resolve-environment.js";

/**
 * Lifts the freeze set by command on an environment, and reports whether a
 * window from some model's configuration keeps it frozen.
 */
export async function runUnfreeze(
  context: GantryContext,
  command: { environment: string },
): Promise<GantryReply> {
  const { services, now } = context;
  const resolved = await resolveEnvironment(
    services.registry,
    command.environment,
  );

  const result = await unfreezeEnvironment(services, {
    environment: command.environment,
    user: context.user,
    now,
  });
  if (result.outcome === "none" && !resolved.ok)
    return usageError("unfreeze", resolved.error);

  const stillFrozen = resolved.ok
    ? await configuredFreeze(context, command.environment, resolved.models)
    : undefined;
  if (result.outcome === "none")
    return ephemeral(
      notFrozen({ environment: command.environment, stillFrozen }),
    );

  services.log.info(
    { environment: command.environment, user: context.user },
    "environment unfrozen",
  );
  return inChannel(
    unfrozen({
      environment: command.environment,
      user: context.user,
      reason: result.reason,
      stillFrozen,
    }),
  );
}

/** Finds a configured window in force on the environment for any of the models. */
async function configuredFreeze(
  context: GantryContext,
  environment: string,
  models: readonly string[],
): Promise<Freeze | undefined> {
  for (const key of models) {
    const entry = await context.services.registry.entry(key);
    const window = entry
      ? activeConfigWindow(entry.freezes, environment, context.now)
      : undefined;
    if (window)
      return { environment, ...window, source: "config", by: undefined };
  }
  return undefined;
}
