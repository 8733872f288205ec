import type { ModelEntry } from "../src/config/config-registry.js";
import { openPromotion } from "../src/promotions/open-promotion.js";
import { answerProtectionRule } from "../src/promotions/protection-rule-answer.js";
import type { Promotion } from "../src/promotion.js";
import type { JobDefinition } from "../src/queues.js";
import type { Services } from "../src/services.js";

export type ProtectionRuleRequestData = {
  deliveryId: string;
  repo: string;
  installationId: number;
  environment: string;
  callbackUrl: string;
  sha: string;
  workflowRunId: number | undefined;
  /** `model` and `version` from the deployment's payload, when the workflow set them. */
  model: string | undefined;
  version: string | undefined;
  sender: string;
};

/**
 * Turns a GitHub deployment protection rule into an approval card. GitHub's
 * run waits for the answer, so every way out answers it: approval and
 * rejection in Slack, the approval timeout, a blocked precondition, and any
 * error after the last try (rejected, with the reason).
 */
export const protectionRuleRequestJob: JobDefinition<ProtectionRuleRequestData> =
  {
    queue: "{protection-rules}",
    options: {},

    async process(data, services) {
      const entry = await findModel(services, data);
      if (typeof entry === "string") {
        await reject(services, data, entry);
        return;
      }

      const opened = await openPromotion(services, {
        entry,
        version: data.version ?? data.sha.slice(0, 7),
        registryVersion: data.version !== undefined,
        environment: data.environment,
        requestedBy: `github:${data.sender}`,
        fallbackChannel: entry.channel ?? "",
        requestKey: `protection:${data.deliveryId}`,
        kind: "protection_rule",
        callbackUrl: data.callbackUrl,
        workflowRunId: data.workflowRunId,
      });

      if (opened.outcome === "version_not_found") {
        await reject(
          services,
          data,
          `version ${data.version ?? ""} of ${entry.name} is not in the model registry`,
        );
      } else if (opened.outcome === "blocked") {
        await reject(
          services,
          data,
          opened.blockers.map((blocker) => blocker.message).join("; "),
        );
      }
    },

    async giveUp(data, error, services) {
      await reject(
        services,
        data,
        `Gantry could not ask for approval: ${error.message}`,
      );
    },
  };

/** Finds the model the deployment is for: the payload's `model`, or the repository's only model. */
async function findModel(
  services: Services,
  data: ProtectionRuleRequestData,
): Promise<ModelEntry | string> {
  const keys = (await services.registry.modelKeys()).filter((key) =>
    key.startsWith(`${data.repo}:`),
  );
  const key = data.model
    ? keys.find((candidate) => candidate === `${data.repo}:${data.model}`)
    : keys.length === 1
      ? keys[0]
      : undefined;
  if (!key) {
    return keys.length === 0
      ? `${data.repo} has no Gantry model configured in .github/gantry.yml`
      : `the deployment does not say which model it deploys; set "model" in its payload to one of ${keys.map((candidate) => candidate.split(":")[1]).join(", ")}`;
  }

  const entry = await services.registry.entry(key);
  if (!entry) return `${key} is no longer configured`;
  if (!entry.environments[data.environment]) {
    return `${data.environment} is not an environment of ${entry.name} in .github/gantry.yml`;
  }
  if (!entry.channel)
    return `${entry.name} has no Slack channel configured (slack.channel) for its approval card`;
  return entry;
}

async function reject(
  services: Services,
  data: ProtectionRuleRequestData,
  reason: string,
): Promise<void> {
  services.log.warn(
    { deliveryId: data.deliveryId, repo: data.repo, reason },
    "protection rule rejected without a card",
  );
  const stand: Pick<
    Promotion,
    "id" | "callbackUrl" | "environment" | "installationId" | "workflowRunId"
  > = {
    id: `protection-${data.deliveryId}`,
    callbackUrl: data.callbackUrl,
    environment: data.environment,
    installationId: data.installationId,
    workflowRunId: data.workflowRunId,
  };
  await answerProtectionRule(services, stand, {
    state: "rejected",
    comment: `Gantry: ${reason}`,
  });
}
