import type { ModelVersion } from "../clients/mlflow.js";
import type { Services } from "../services.js";

/** A version and the champion it would replace, as the model registry has them now. */
export type RegistrySnapshot = {
  version: ModelVersion | undefined;
  metrics: Record<string, number>;
  /** The version holding the environment's alias. */
  champion: ModelVersion | undefined;
  championMetrics: Record<string, number>;
};

/**
 * Reads a version, the version holding the environment's alias, and both
 * runs' metrics. A version the registry lacks ends the reads there, with
 * nothing else filled in. With `lookupVersion` false (a commit, not a
 * registry version) only the champion is read.
 */
export async function readRegistry(
  services: Services,
  params: {
    registryName: string;
    version: string;
    environment: string;
    lookupVersion?: boolean;
  },
): Promise<RegistrySnapshot> {
  const version =
    (params.lookupVersion ?? true)
      ? await services.mlflow.getVersion(params.registryName, params.version)
      : undefined;
  if ((params.lookupVersion ?? true) && !version) {
    return { version, metrics: {}, champion: undefined, championMetrics: {} };
  }

  const metrics = version?.run_id
    ? await services.mlflow.getRunMetrics(version.run_id)
    : {};
  const champion = await services.mlflow.getVersionByAlias(
    params.registryName,
    params.environment,
  );
  const championMetrics = champion?.run_id
    ? await services.mlflow.getRunMetrics(champion.run_id)
    : {};
  return { version, metrics, champion, championMetrics };
}
