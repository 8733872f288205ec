import type { MlflowClient, ModelVersion } from "../clients/mlflow.js";
import { GantryError } from "../errors.js";

/** The model version tag that a training workflow sets to its workflow run's id. */
export const RUN_ID_TAG = "gantry.github_run_id";

/** Allowance for clock skew between GitHub and MLflow when matching by time. */
const CLOCK_SKEW_MS = 60_000;

export type TrainedVersion = {
  version: ModelVersion;
  foundBy: "tag" | "registered_since_start";
};

/**
 * Finds the version a training workflow run registered: the one tagged
 * `gantry.github_run_id` with the run's id, or else the newest version
 * registered since the run started (less one minute for clock skew).
 */
export async function findTrainedVersion(
  mlflow: MlflowClient,
  params: { registryName: string; workflowRunId: number; startedAt: Date },
): Promise<TrainedVersion | undefined> {
  const name = quote(params.registryName);
  const tagged = await mlflow.searchVersions({
    filter: `name = ${name} AND tags.\`${RUN_ID_TAG}\` = '${params.workflowRunId}'`,
    maxResults: 10,
  });
  const newestTagged = newest(tagged);
  if (newestTagged) return { version: newestTagged, foundBy: "tag" };

  const recent = await mlflow.searchVersions({
    filter: `name = ${name}`,
    orderBy: "creation_timestamp DESC",
    maxResults: 20,
  });
  const since = params.startedAt.getTime() - CLOCK_SKEW_MS;
  const newestRecent = newest(
    recent.filter((version) => (version.creation_timestamp ?? 0) >= since),
  );
  return newestRecent
    ? { version: newestRecent, foundBy: "registered_since_start" }
    : undefined;
}

function newest(versions: ModelVersion[]): ModelVersion | undefined {
  return [...versions].sort(
    (a, b) =>
      (b.creation_timestamp ?? 0) - (a.creation_timestamp ?? 0) ||
      Number(b.version) - Number(a.version),
  )[0];
}

/** Quotes a registered model name for a search filter, which has no escape for a single quote. */
function quote(name: string): string {
  if (name.includes("'")) {
    throw new GantryError(
      "invalid_input",
      `registered model name ${JSON.stringify(name)} contains a single quote, which MLflow search filters cannot express; rename the registered model`,
      { retryable: false },
    );
  }
  return `'${name}'`;
}
