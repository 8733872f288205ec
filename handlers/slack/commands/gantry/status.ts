import {
  modelStatus,
  type ModelStatus,
} from "../../../../src/queries/model-status.js";
import { gantryStatus } from "../../../../templates/gantry-status.js";
import { lookupModel } from "../../model-lookup.js";
import {
  ephemeral,
  usageError,
  type GantryContext,
  type GantryReply,
} from "./context.js";

/** At most this many models are shown when the command names none. */
export const MAX_STATUS_MODELS = 15;

/** Shows versions live per environment and promotions in flight, for one model or all. */
export async function runStatus(
  context: GantryContext,
  command: { model: string | undefined },
): Promise<GantryReply> {
  const { services, now } = context;

  if (command.model !== undefined) {
    const lookup = await lookupModel(services.registry, command.model);
    if (!lookup.ok) return usageError("status", lookup.error);
    const status = await modelStatus(services, { entry: lookup.entry, now });
    return ephemeral(gantryStatus({ models: [status], omitted: 0, now }));
  }

  const keys = await services.registry.modelKeys();
  const models: ModelStatus[] = [];
  for (const key of keys.slice(0, MAX_STATUS_MODELS)) {
    const entry = await services.registry.entry(key);
    if (entry) models.push(await modelStatus(services, { entry, now }));
  }
  return ephemeral(
    gantryStatus({
      models,
      omitted: Math.max(0, keys.length - MAX_STATUS_MODELS),
      now,
    }),
  );
}
