import { replyEphemeral } from "../src/clients/slack-response.js";
import type { ModelEntry } from "../src/config/config-registry.js";
import type { JobDefinition } from "../src/queues.js";
import type { Services } from "../src/services.js";
import { deploymentJob } from "./deployment.js";
import { slackCardJob } from "./slack-card.js";

export type PromotionRequestData = {
  modelKey: string;
  version: string;
  environment: string;
  requestedBy: string;
  /** Where the command was typed; the card goes there when no channel is configured. */
  sourceChannel: string;
  responseUrl: string | undefined;
  /** Identifies the request (a Slack trigger id), so a retry creates nothing twice. */
  requestKey: string;
};

/**
 * Turns a /promote request into a promotion: checks the version in the model
 * registry, reads its metrics and the live version's, stores the promotion
 * and queues its card.
 */
export const promotionRequestJob: JobDefinition<PromotionRequestData> = {
  queue: "{promotion-requests}",
  options: {},

  async process(data, services) {
    const entry = await services.registry.entry(data.modelKey);
    if (!entry) {
      await reply(
        services,
        data,
        `Model ${data.modelKey} is no longer configured; check its repository's .github/gantry.yml.`,
      );
      return;
    }

    const registryName = entry.model.registry;
    const version = await services.mlflow.getVersion(
      registryName,
      data.version,
    );
    if (!version) {
      await reply(
        services,
        data,
        `Version ${data.version} of ${entry.name} was not found in the model registry (MLflow model "${registryName}"). Check the version number with the registry and try again.`,
      );
      return;
    }

    const metrics = version.run_id
      ? await services.mlflow.getRunMetrics(version.run_id)
      : {};
    const champion = await services.mlflow.getVersionByAlias(
      registryName,
      data.environment,
    );
    const championMetrics = champion?.run_id
      ? await services.mlflow.getRunMetrics(champion.run_id)
      : {};

    const { promotion, created } = await services.store.create(
      {
        model: entry.key,
        modelName: entry.name,
        repo: entry.repo,
        installationId: entry.installationId,
        registryName,
        version: data.version,
        environment: data.environment,
        requestedBy: data.requestedBy,
        requiredApprovals: entry.environments[data.environment]?.approvals ?? 1,
        approvers: entry.environments[data.environment]?.approvers ?? [],
        channel: entry.channel ?? data.sourceChannel,
        runId: version.run_id,
        metrics,
        championVersion: champion?.version,
        championMetrics,
      },
      data.requestKey,
    );
    services.log.info(
      {
        promotionId: promotion.id,
        model: entry.key,
        version: data.version,
        environment: data.environment,
        created,
      },
      "promotion created",
    );

    await startPromotion(services, promotion.id, promotion.requiredApprovals);
    if (created)
      await reply(
        services,
        data,
        confirmation(entry, promotion.id, promotion.channel),
      );
  },

  async giveUp(data, error, services) {
    await reply(
      services,
      data,
      `Gantry could not check ${data.modelKey} version ${data.version} in the model registry (${error.message}). Nothing was queued; try /promote again.`,
    );
  },
};

/** Queues the card, and the deployment when the environment needs no approval. */
async function startPromotion(
  services: Services,
  promotionId: string,
  requiredApprovals: number,
): Promise<void> {
  if (requiredApprovals === 0) {
    const moved = await services.store.transition({
      id: promotionId,
      from: ["pending_approval"],
      to: "approved",
      actor: "gantry",
      reason: "the environment requires no approval",
    });
    if (
      moved.ok ||
      (moved.reason === "conflict" && moved.current === "approved")
    ) {
      await services.queues.add(
        deploymentJob,
        { promotionId },
        `deploy:${promotionId}`,
      );
    }
  }
  await services.queues.add(
    slackCardJob,
    { promotionId },
    `card:${promotionId}:created`,
  );
}

function confirmation(
  entry: ModelEntry,
  promotionId: string,
  channel: string,
): string {
  return `Promotion ${promotionId} of ${entry.name} is open; its approval card is in <#${channel}>.`;
}

async function reply(
  services: Services,
  data: PromotionRequestData,
  text: string,
): Promise<void> {
  if (!data.responseUrl) {
    services.log.info(
      { requestKey: data.requestKey, text },
      "promotion request outcome with no response_url",
    );
    return;
  }
  try {
    await replyEphemeral(data.responseUrl, { text });
  } catch (error) {
    services.log.warn(
      { err: error, requestKey: data.requestKey },
      "ephemeral reply failed",
    );
  }
}
