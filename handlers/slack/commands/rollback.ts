import type { App } from "@slack/bolt";
import {
  approverPolicy,
  formatApprovers,
} from "../../../src/approver-policy.js";
import { startRollback } from "../../../src/rollback/start-rollback.js";
import type { Services } from "../../../src/services.js";
import { splitArguments } from "../../../src/text/split-arguments.js";
import {
  ROLLBACK_USAGE,
  rollbackReply,
} from "../../../templates/rollback-messages.js";
import { checkEnvironment, lookupModel } from "../model-lookup.js";

/**
 * Registers /rollback MODEL ENVIRONMENT. Only the environment's approvers
 * may roll back. The rollback itself is Redis work and queued jobs, so it
 * starts before the acknowledgement, which carries the outcome.
 */
export function registerRollbackCommand(app: App, services: Services): void {
  app.command("/rollback", async ({ command, ack }) => {
    const reply = (text: string) => ack({ response_type: "ephemeral", text });

    const split = splitArguments(command.text);
    const words = split.ok ? split.words : [];
    const [model = "", environment = ""] = words;
    if (words.length !== 2) {
      await reply(
        `/rollback needs a model and an environment.\n${ROLLBACK_USAGE}`,
      );
      return;
    }
    const lookup = await lookupModel(services.registry, model);
    if (!lookup.ok) {
      await reply(`${lookup.error}\n${ROLLBACK_USAGE}`);
      return;
    }
    const { entry } = lookup;
    const environmentError = checkEnvironment(entry, environment);
    if (environmentError) {
      await reply(`${environmentError}\n${ROLLBACK_USAGE}`);
      return;
    }

    const approvers = entry.environments[environment]?.approvers ?? [];
    const policy = approverPolicy(services.slack, services.log);
    if (!(await policy.allows(command.user_id, approvers))) {
      await reply(
        `Only approvers for ${environment} may roll it back; they are ${formatApprovers(approvers)}. Nothing was changed.`,
      );
      return;
    }

    const outcome = await startRollback(services, {
      model: entry.key,
      environment,
      requestedBy: command.user_id,
      reason: `rolled back by hand with /rollback`,
      fallbackChannel: command.channel_id,
      requestKey: `slack:${command.trigger_id}`,
    });
    services.log.info(
      {
        user: command.user_id,
        team: command.team_id,
        channel: command.channel_id,
        model: entry.key,
        environment,
        outcome: outcome.outcome,
      },
      "rollback requested",
    );
    await reply(rollbackReply({ modelName: entry.name, environment, outcome }));
  });
}
