import { freezeEnvironment } from "../../../../src/environment-freezes.js";
import { frozen } from "../../../../templates/freeze-messages.js";
import {
  inChannel,
  usageError,
  type GantryContext,
  type GantryReply,
} from "./context.js";
import { resolveEnvironment } from "./resolve-environment.js";

/** Freezes an environment for every model and announces the end time in the channel. */
export async function runFreeze(
  context: GantryContext,
  command: { environment: string; durationMs: number; reason: string },
): Promise<GantryReply> {
  const { services, now } = context;
  const resolved = await resolveEnvironment(
    services.registry,
    command.environment,
  );
  if (!resolved.ok) return usageError("freeze", resolved.error);

  const result = await freezeEnvironment(services, {
    environment: command.environment,
    durationMs: command.durationMs,
    reason: command.reason,
    user: context.user,
    now,
  });
  services.log.info(
    {
      environment: command.environment,
      user: context.user,
      endsAt: result.freeze.endsAt.toISOString(),
      outcome: result.outcome,
    },
    "environment frozen",
  );
  return inChannel(
    frozen({ freeze: result.freeze, replaced: result.outcome === "replaced" }),
  );
}
