import type { JobDefinition } from "../src/queues.js";
import { filesMatchingPaths } from "../src/retraining/path-match.js";
import { modelsWithPaths } from "../src/retraining/retrainable-models.js";
import { splitRepo } from "../src/retraining/training-workflow.js";
import type { Services } from "../src/services.js";
import { requestRetraining } from "./retraining-run.js";

/** A pull request merged into a repository's default branch. */
export type MergedPullRequestData = {
  repo: string;
  installationId: number;
  pullNumber: number;
  title: string;
  mergedBy: string;
};

/**
 * Starts retraining for each model whose `paths` globs match a file that a
 * merged pull request changed. The changed files come from the pull
 * request files API, all pages (GitHub lists at most 3000 files).
 */
export const mergedPullRequestJob: JobDefinition<MergedPullRequestData> = {
  queue: "{merged-pull-requests}",
  options: {},

  async process(data, services) {
    const models = await modelsWithPaths(services.registry, data.repo);
    if (models.length === 0) return;

    const files = await changedFiles(services, data);
    for (const entry of models) {
      const matched = filesMatchingPaths(entry.model.paths, files);
      if (matched.length === 0) continue;

      const result = await requestRetraining(
        services,
        {
          modelKey: entry.key,
          reason: `pull request #${data.pullNumber} merged: ${data.title}`,
          ticket: undefined,
          requestedBy: data.mergedBy,
          source: "pull_request",
        },
        `pull_request:${data.repo}#${data.pullNumber}:${entry.key}`,
      );
      services.log.info(
        {
          model: entry.key,
          pullNumber: data.pullNumber,
          matched: matched.slice(0, 10),
          queued: result.queued,
        },
        "merged pull request touches a model's paths",
      );
    }
  },
};

/** Lists the paths a pull request changed, with the old path of each renamed file. */
async function changedFiles(
  services: Services,
  data: MergedPullRequestData,
): Promise<string[]> {
  const octokit = await services.github(data.installationId);
  const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
    ...splitRepo(data.repo),
    pull_number: data.pullNumber,
    per_page: 100,
  });
  return files.flatMap((file) =>
    file.previous_filename
      ? [file.filename, file.previous_filename]
      : [file.filename],
  );
}
