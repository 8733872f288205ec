import { recentAuditEvents } from "../../../../src/audit/read-audit.js";
import { keys } from "../../../../src/store/keys.js";
import { auditLog } from "../../../../templates/audit-log.js";
import { lookupModel } from "../../model-lookup.js";
import {
  ephemeral,
  usageError,
  type GantryContext,
  type GantryReply,
} from "./context.js";

/** How many audit events /gantry audit shows. */
export const AUDIT_LIMIT = 20;

/** Shows a model's newest audit events. */
export async function runAudit(
  context: GantryContext,
  command: { model: string },
): Promise<GantryReply> {
  const { services } = context;
  const lookup = await lookupModel(services.registry, command.model);
  if (!lookup.ok) return usageError("audit", lookup.error);

  const events = await recentAuditEvents(
    services.redis,
    keys.auditModel(lookup.entry.key),
    AUDIT_LIMIT,
  );
  return ephemeral(
    auditLog({
      modelKey: lookup.entry.key,
      modelName: lookup.entry.name,
      events,
    }),
  );
}
