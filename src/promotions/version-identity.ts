import type { ModelVersion } from "../clients/mlflow.js";

/**
 * Returns what makes a registry version the one that was approved: the run
 * that produced it and its artifact source. When either changes, the version
 * number points at a different model, and approvals given before are void.
 */
export function versionIdentity(version: ModelVersion): string {
  return `${version.run_id ?? ""}|${version.source ?? ""}`;
}
