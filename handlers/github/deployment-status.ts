import type { Probot } from "probot";
import { deploymentStatusJob } from "../../jobs/deployment-status.js";
import type { Services } from "../../src/services.js";

/**
 * Queues each deployment status. The job id is the delivery id, so a
 * redelivered webhook adds nothing.
 */
export function registerDeploymentStatus(
  probot: Probot,
  services: Services,
): void {
  probot.on("deployment_status.created", async (context) => {
    const { deployment, deployment_status: status } = context.payload;
    const payload = deployment.payload;
    const promotionId =
      typeof payload === "object" &&
      payload !== null &&
      typeof payload.promotion_id === "string"
        ? payload.promotion_id
        : undefined;

    await services.queues.add(
      deploymentStatusJob,
      {
        deliveryId: context.id,
        deploymentId: deployment.id,
        state: status.state,
        description: status.description ?? undefined,
        logUrl: status.log_url ?? status.target_url ?? undefined,
        promotionId,
      },
      `deployment-status:${context.id}`,
    );
    context.log.info(
      {
        deliveryId: context.id,
        deploymentId: deployment.id,
        state: status.state,
      },
      "deployment status queued",
    );
  });
}
