import type { Probot } from "probot";
import { protectionRuleRequestJob } from "../../jobs/protection-rule-request.js";
import type { Services } from "../../src/services.js";

/**
 * Queues an approval for a GitHub environment that names Gantry as a custom
 * deployment protection rule. The delivery id is the job id, so a
 * redelivered webhook opens one approval.
 */
export function registerDeploymentProtectionRule(
  probot: Probot,
  services: Services,
): void {
  probot.on("deployment_protection_rule.requested", async (context) => {
    const payload = context.payload;
    const callbackUrl = payload.deployment_callback_url;
    const installationId = payload.installation?.id;
    if (!callbackUrl || !installationId || !payload.environment) {
      context.log.warn(
        { deliveryId: context.id },
        "protection rule event without callback, installation or environment; ignored",
      );
      return;
    }

    const deploymentPayload = payload.deployment?.payload;
    const field = (name: string): string | undefined => {
      const value =
        typeof deploymentPayload === "object" && deploymentPayload !== null
          ? (deploymentPayload as Record<string, unknown>)[name]
          : undefined;
      return typeof value === "string" || typeof value === "number"
        ? String(value)
        : undefined;
    };
    const runId = /\/actions\/runs\/(\d+)\//.exec(callbackUrl)?.[1];

    await services.queues.add(
      protectionRuleRequestJob,
      {
        deliveryId: context.id,
        repo: payload.repository.full_name,
        installationId,
        environment: payload.environment,
        callbackUrl,
        sha: payload.deployment?.sha ?? "",
        workflowRunId: runId ? Number(runId) : undefined,
        model: field("model"),
        version: field("version"),
        sender: payload.sender?.login ?? "unknown",
      },
      `protection-rule:${context.id}`,
    );
    context.log.info(
      { deliveryId: context.id, environment: payload.environment },
      "protection rule queued",
    );
  });
}
