import { promotionHistory } from "../../../../src/queries/promotion-history.js";
import { gantryHistory } from "../../../../templates/gantry-history.js";
import { checkEnvironment, lookupModel } from "../../model-lookup.js";
import {
  ephemeral,
  usageError,
  type GantryContext,
  type GantryReply,
} from "./context.js";

/** How many promotions /gantry history lists. */
export const HISTORY_LIMIT = 15;

/** Lists a model's recent promotions with who approved them. */
export async function runHistory(
  context: GantryContext,
  command: { model: string; environment: string | undefined },
): Promise<GantryReply> {
  const { services } = context;
  const lookup = await lookupModel(services.registry, command.model);
  if (!lookup.ok) return usageError("history", lookup.error);
  const { entry } = lookup;

  if (command.environment !== undefined) {
    const error = checkEnvironment(entry, command.environment);
    if (error) return usageError("history", error);
  }

  const items = await promotionHistory(services, {
    model: entry.key,
    environment: command.environment,
    limit: HISTORY_LIMIT,
  });
  return ephemeral(
    gantryHistory({
      modelKey: entry.key,
      modelName: entry.name,
      environment: command.environment,
      items,
    }),
  );
}
