import type { App } from "@slack/bolt";
import { promotionRequestJob } from "../../../jobs/promotion-request.js";
import {
  approverPolicy,
  formatApprovers,
} from "../../../src/approver-policy.js";
import type { Services } from "../../../src/services.js";
import { checkEnvironment, lookupModel } from "../model-lookup.js";
import { parsePromoteArguments, PROMOTE_USAGE } from "./promote-arguments.js";

/**
 * Registers /promote. Arguments, the model and the environment are checked
 * before the acknowledgement, which Slack needs within 3 seconds; the
 * registry check and the card run in a job, which replies through the
 * command's response_url.
 */
export function registerPromoteCommand(app: App, services: Services): void {
  app.command("/promote", async ({ command, ack }) => {
    const parsed = parsePromoteArguments(command.text);
    if (!parsed.ok) {
      await ack({
        response_type: "ephemeral",
        text: `${parsed.error}\n${PROMOTE_USAGE}`,
      });
      return;
    }

    const { model, version, environment, plan, breakFreezeReason } =
      parsed.value;
    const lookup = await lookupModel(services.registry, model);
    if (!lookup.ok) {
      await ack({
        response_type: "ephemeral",
        text: `${lookup.error}\n${PROMOTE_USAGE}`,
      });
      return;
    }
    const environmentError = checkEnvironment(lookup.entry, environment);
    if (environmentError) {
      await ack({
        response_type: "ephemeral",
        text: `${environmentError}\n${PROMOTE_USAGE}`,
      });
      return;
    }

    const approvers = lookup.entry.environments[environment]?.approvers ?? [];
    if (
      breakFreezeReason !== undefined &&
      !(await approverPolicy(services.slack, services.log).allows(
        command.user_id,
        approvers,
      ))
    ) {
      await ack({
        response_type: "ephemeral",
        text: `Only approvers for ${environment} may break a freeze; they are ${formatApprovers(approvers)}. Nothing was queued.`,
      });
      return;
    }

    await services.queues.add(
      promotionRequestJob,
      {
        modelKey: lookup.entry.key,
        version,
        environment,
        requestedBy: command.user_id,
        sourceChannel: command.channel_id,
        responseUrl: command.response_url,
        requestKey: `slack:${command.trigger_id}`,
        plan,
        breakFreezeReason,
      },
      `promote:${command.trigger_id}`,
    );
    services.log.info(
      {
        user: command.user_id,
        team: command.team_id,
        channel: command.channel_id,
        model: lookup.entry.key,
        version,
        environment,
      },
      "promotion requested",
    );
    await ack({
      response_type: "ephemeral",
      text: plan
        ? `Working out the plan for ${lookup.entry.name} ${version} to ${environment}…`
        : `Checking ${lookup.entry.name} version ${version} in the model registry before opening a promotion to ${environment}…`,
    });
  });
}
