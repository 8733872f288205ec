import { z } from "zod";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";
import { runReleaseScript } from "../store/release-scripts.js";

const holdSchema = z.object({
  promotionId: z.string(),
  version: z.string(),
  by: z.string(),
  reason: z.string(),
  at: z.string(),
});

/**
 * An environment held after a rollback: the soak proposal and retraining
 * auto-deploys promote nothing into it until a promotion that a person
 * asked for succeeds there.
 */
export type Hold = z.infer<typeof holdSchema>;

/** Returns true while automation must not promote the model into the environment. */
export async function isHeld(
  services: Pick<Services, "redis">,
  model: string,
  environment: string,
): Promise<boolean> {
  return (await findHold(services, model, environment)) !== undefined;
}

export async function findHold(
  services: Pick<Services, "redis">,
  model: string,
  environment: string,
): Promise<Hold | undefined> {
  const fields = await services.redis.hgetall(keys.hold(model, environment));
  const parsed = holdSchema.safeParse(fields);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Holds an environment and writes the audit event. `promotionId` and
 * `version` name the promotion and version that were rolled back.
 */
export async function holdEnvironment(
  services: Pick<Services, "redis">,
  params: {
    model: string;
    environment: string;
    promotionId: string;
    version: string;
    actor: string;
    reason: string;
  },
): Promise<void> {
  await runReleaseScript(
    services.redis,
    "gantryHold",
    [
      keys.hold(params.model, params.environment),
      keys.auditAll(),
      keys.auditModel(params.model),
    ],
    [
      params.model,
      params.environment,
      params.promotionId,
      params.version,
      params.actor,
      params.reason,
      new Date().toISOString(),
    ],
  );
}
