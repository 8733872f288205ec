import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import type { Services } from "../../src/services.js";
import { ALERT_ROLLBACK_ACTION } from "../../templates/alert-post.js";

const buttonValueSchema = z.object({
  model: z.string(),
  environment: z.string().optional(),
  fingerprint: z.string(),
});

/**
 * Registers the Roll back button of critical alert posts. Gantry has no
 * rollback job yet, so the button replies ephemerally and changes nothing.
 */
export function registerAlertRollbackAction(
  app: App,
  services: Services,
): void {
  app.action<BlockButtonAction>(
    ALERT_ROLLBACK_ACTION,
    async ({ ack, body, action, respond }) => {
      await ack();
      const parsed = buttonValueSchema.safeParse(parseJson(action.value));
      services.log.info(
        {
          user: body.user.id,
          team: body.team?.id,
          channel: body.channel?.id,
          model: parsed.success ? parsed.data.model : undefined,
          fingerprint: parsed.success ? parsed.data.fingerprint : undefined,
        },
        "alert rollback pressed",
      );
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        text: rollbackReply(parsed.success ? parsed.data : undefined),
      });
    },
  );
}

/** Builds the ephemeral reply to the button while no rollback job exists. */
export function rollbackReply(
  value: z.infer<typeof buttonValueSchema> | undefined,
): string {
  if (!value)
    return "This Roll back button carries no model; nothing was changed.";
  const where = value.environment ? ` in ${value.environment}` : "";
  // TODO: queue the rollback job here once Gantry has one.
  return `Rolling back ${value.model}${where} from an alert is not available in Gantry yet, so nothing was changed. Roll back with your deploy workflow.`;
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
