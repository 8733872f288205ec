import type { ModelEntry } from "../config/config-registry.js";
import { evaluateGates, type GateResult } from "../gates.js";
import type { Services } from "../services.js";
import {
  compareWithChampion,
  findChampion,
  type Champion,
  type Comparison,
} from "./champion.js";
import { findTrainedVersion, type TrainedVersion } from "./find-version.js";

/** A trained version with its metrics, checked against the gates and the champion. */
export type VersionEvaluation = TrainedVersion & {
  metrics: Record<string, number>;
  gates: GateResult[];
  champion: Champion | undefined;
  comparison: Comparison;
};

/**
 * Evaluates the version a training workflow run registered. Steps: find the
 * version, read its run's metrics, check the model's gates, find the
 * champion and compare. Returns undefined when no version is found.
 */
export async function evaluateTrainedVersion(
  services: Services,
  params: { entry: ModelEntry; workflowRunId: number; startedAt: Date },
): Promise<VersionEvaluation | undefined> {
  const { entry } = params;
  const trained = await findTrainedVersion(services.mlflow, {
    registryName: entry.model.registry,
    workflowRunId: params.workflowRunId,
    startedAt: params.startedAt,
  });
  if (!trained) return undefined;

  const runId = trained.version.run_id;
  const metrics = runId ? await services.mlflow.getRunMetrics(runId) : {};
  const gates = evaluateGates(entry.model.gates, metrics);
  const champion = await findChampion(services.mlflow, entry);
  const comparison = compareWithChampion(entry.model.gates, metrics, champion);

  return { ...trained, metrics, gates, champion, comparison };
}
