import type { App } from "@slack/bolt";
import { requestRetraining } from "../../../jobs/retraining-run.js";
import type { Services } from "../../../src/services.js";
import { lookupModel } from "../model-lookup.js";
import { parseRetrainArguments, RETRAIN_USAGE } from "./retrain-arguments.js";

/**
 * Registers /retrain. The arguments, the model, its training workflow and
 * the one-run-per-model rule are checked before the acknowledgement. The
 * dispatch runs in a job, which replies through the command's response_url
 * when the workflow run has started.
 */
export function registerRetrainCommand(app: App, services: Services): void {
  app.command("/retrain", async ({ command, ack }) => {
    const reply = (text: string) => ack({ response_type: "ephemeral", text });

    const parsed = parseRetrainArguments(command.text);
    if (!parsed.ok) {
      await reply(`${parsed.error}\n${RETRAIN_USAGE}`);
      return;
    }
    const lookup = await lookupModel(services.registry, parsed.value.model);
    if (!lookup.ok) {
      await reply(`${lookup.error}\n${RETRAIN_USAGE}`);
      return;
    }
    const { entry } = lookup;
    if (!entry.model.training_workflow) {
      await reply(
        `${entry.name} has no \`training_workflow\` in ${entry.repo}'s .github/gantry.yml, so Gantry cannot start its training; add the workflow's file name there.\n${RETRAIN_USAGE}`,
      );
      return;
    }

    const result = await requestRetraining(
      services,
      {
        modelKey: entry.key,
        reason: parsed.value.reason,
        ticket: undefined,
        requestedBy: command.user_id,
        source: "slack",
        responseUrl: command.response_url,
        channel: command.channel_id,
      },
      `slack:${command.trigger_id}`,
    );
    services.log.info(
      {
        user: command.user_id,
        team: command.team_id,
        channel: command.channel_id,
        model: entry.key,
        queued: result.queued,
      },
      "retraining requested",
    );
    await reply(
      result.queued
        ? `Dispatching \`${entry.model.training_workflow}\` of ${entry.name} on the default branch…`
        : `Retraining of ${entry.name} was not started: ${result.why ?? "no reason given"}`,
    );
  });
}
