import type { KnownBlock } from "@slack/types";
import {
  replyEphemeral,
  type EphemeralReply,
} from "../src/clients/slack-response.js";
import { openPromotion } from "../src/promotions/open-promotion.js";
import { planPromotion } from "../src/promotions/plan-promotion.js";
import type { JobDefinition } from "../src/queues.js";
import type { Services } from "../src/services.js";
import { blockedMessage } from "../templates/blockers.js";
import { planMessage } from "../templates/plan-message.js";

export type PromotionRequestData = {
  modelKey: string;
  version: string;
  environment: string;
  requestedBy: string;
  /** Channel of the command; the card goes there when the model configures none. */
  sourceChannel: string;
  responseUrl: string | undefined;
  /** Identifies the request (a Slack trigger id), so a retry creates nothing twice. */
  requestKey: string;
  /** When set, the reply is the plan and nothing is queued. */
  plan?: boolean;
  /** An approver's reason for promoting during a freeze; the command checked the approver. */
  breakFreezeReason?: string;
};

/**
 * Turns a /promote request into a promotion (see openPromotion for the
 * steps), or into a plan when --plan was given, and sends the requester
 * the outcome through the command's response_url.
 */
export const promotionRequestJob: JobDefinition<PromotionRequestData> = {
  queue: "{promotion-requests}",
  options: {},

  async process(data, services) {
    const entry = await services.registry.entry(data.modelKey);
    if (!entry) {
      await reply(services, data, {
        text: `Model ${data.modelKey} is no longer configured; check its repository's .github/gantry.yml.`,
      });
      return;
    }

    if (data.plan) {
      const plan = await planPromotion(services, {
        entry,
        version: data.version,
        environment: data.environment,
        user: data.requestedBy,
      });
      await reply(services, data, planMessage(plan));
      return;
    }

    const opened = await openPromotion(services, {
      entry,
      version: data.version,
      environment: data.environment,
      requestedBy: data.requestedBy,
      fallbackChannel: data.sourceChannel,
      requestKey: data.requestKey,
      breakFreezeReason: data.breakFreezeReason,
    });

    switch (opened.outcome) {
      case "version_not_found":
        await reply(services, data, {
          text: `Version ${data.version} of ${entry.name} was not found in the model registry (MLflow model "${opened.registryName}"). Check the version number with the registry and try again.`,
        });
        return;
      case "blocked":
        services.log.info(
          {
            model: entry.key,
            version: data.version,
            environment: data.environment,
            blockers: opened.blockers.map((blocker) => blocker.code),
          },
          "promotion blocked by preconditions",
        );
        await reply(
          services,
          data,
          blockedMessage({
            modelName: entry.name,
            version: data.version,
            environment: data.environment,
            blockers: opened.blockers,
          }),
        );
        return;
      case "opened":
        if (opened.created) {
          await reply(services, data, {
            text: `Promotion ${opened.promotion.id} of ${entry.name} ${data.version} to ${data.environment} is open; its approval card is in <#${opened.promotion.channel}>.`,
          });
        }
    }
  },

  async giveUp(data, error, services) {
    await reply(services, data, {
      text: `Gantry could not check ${data.modelKey} version ${data.version} in the model registry (${error.message}). Nothing was queued; try /promote again.`,
    });
  },
};

async function reply(
  services: Services,
  data: PromotionRequestData,
  message: EphemeralReply,
): Promise<void> {
  if (!data.responseUrl) {
    services.log.info(
      { requestKey: data.requestKey, text: message.text },
      "promotion request outcome with no response_url",
    );
    return;
  }
  try {
    await replyEphemeral(data.responseUrl, message);
    return;
  } catch (error) {
    services.log.warn(
      { err: error, requestKey: data.requestKey },
      "ephemeral reply failed; posting it with chat.postEphemeral instead",
    );
  }

  // A response_url expires after 30 minutes, so a reply after long retries
  // goes to the user directly in the channel where they asked.
  await services.slack.chat.postEphemeral({
    channel: data.sourceChannel,
    user: data.requestedBy,
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks as KnownBlock[] } : {}),
  });
}
