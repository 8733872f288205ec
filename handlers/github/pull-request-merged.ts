import type { Probot } from "probot";
import { mergedPullRequestJob } from "../../jobs/merged-pull-request.js";
import { modelsWithPaths } from "../../src/retraining/retrainable-models.js";
import type { Services } from "../../src/services.js";

/**
 * Queues a pull request merged into the default branch of a repository
 * whose models declare `paths`. The job lists its files and starts
 * retraining. The job id is the pull request, so a redelivery adds nothing.
 */
export function registerPullRequestMerged(
  probot: Probot,
  services: Services,
): void {
  probot.on("pull_request.closed", async (context) => {
    const { pull_request: pull, repository, installation } = context.payload;
    if (!pull.merged || !installation) return;
    if (pull.base.ref !== repository.default_branch) return;

    const repo = repository.full_name;
    const models = await modelsWithPaths(services.registry, repo);
    if (models.length === 0) return;

    await services.queues.add(
      mergedPullRequestJob,
      {
        repo,
        installationId: installation.id,
        pullNumber: pull.number,
        title: pull.title,
        mergedBy: pull.merged_by?.login ?? context.payload.sender.login,
      },
      `merged-pull-request:${repo}#${pull.number}`,
    );
    context.log.info(
      { deliveryId: context.id, repo, pullNumber: pull.number },
      "merged pull request queued for path matching",
    );
  });
}
