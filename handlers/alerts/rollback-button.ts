import type { App, BlockButtonAction } from "@slack/bolt";
import { z } from "zod";
import { approverPolicy, formatApprovers } from "../../src/approver-policy.js";
import type { ModelEntry } from "../../src/config/config-registry.js";
import { startRollback } from "../../src/rollback/start-rollback.js";
import type { Services } from "../../src/services.js";
import { ALERT_ROLLBACK_ACTION } from "../../templates/alert-post.js";
import { rollbackReply } from "../../templates/rollback-messages.js";

const buttonValueSchema = z.object({
  model: z.string(),
  environment: z.string().optional(),
  fingerprint: z.string(),
});

/**
 * Registers the Roll back button of critical alert posts. It rolls the
 * alert's environment back as /rollback does, for that environment's
 * approvers only. An alert without an environment label rolls back the
 * model's last environment.
 */
export function registerAlertRollbackAction(
  app: App,
  services: Services,
): void {
  app.action<BlockButtonAction>(
    ALERT_ROLLBACK_ACTION,
    async ({ ack, body, action, respond }) => {
      await ack();
      const tell = (text: string) =>
        respond({ response_type: "ephemeral", replace_original: false, text });

      const parsed = buttonValueSchema.safeParse(parseJson(action.value));
      const entry = parsed.success
        ? await services.registry.entry(parsed.data.model)
        : undefined;
      if (!parsed.success || !entry) {
        await tell(
          "This Roll back button names no configured model; nothing was changed.",
        );
        return;
      }

      const environment = rollbackEnvironment(entry, parsed.data.environment);
      if (!environment) {
        await tell(
          `${entry.name} has no environment ${parsed.data.environment ?? ""} to roll back; nothing was changed.`,
        );
        return;
      }

      const user = body.user.id;
      const approvers = entry.environments[environment]?.approvers ?? [];
      if (
        !(await approverPolicy(services.slack, services.log).allows(
          user,
          approvers,
        ))
      ) {
        await tell(
          `Only approvers for ${environment} may roll it back; they are ${formatApprovers(approvers)}. Nothing was changed.`,
        );
        return;
      }

      const outcome = await startRollback(services, {
        model: entry.key,
        environment,
        requestedBy: user,
        reason: `rolled back from critical alert ${parsed.data.fingerprint}`,
        fallbackChannel: body.channel?.id ?? "",
        requestKey: `alert-rollback:${body.trigger_id}`,
      });
      services.log.info(
        {
          user,
          team: body.team?.id,
          channel: body.channel?.id,
          model: entry.key,
          environment,
          fingerprint: parsed.data.fingerprint,
          outcome: outcome.outcome,
        },
        "alert rollback requested",
      );
      await tell(
        rollbackReply({ modelName: entry.name, environment, outcome }),
      );
    },
  );
}

/** Picks the alert's environment, or the model's last one when the alert names none. */
export function rollbackEnvironment(
  entry: ModelEntry,
  labelled: string | undefined,
): string | undefined {
  if (labelled) return entry.environments[labelled] ? labelled : undefined;
  return entry.order[entry.order.length - 1];
}

function parseJson(text: string | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
