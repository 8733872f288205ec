import type { ModelVersion } from "../clients/mlflow.js";
import type { Promotion } from "../promotion.js";
import type { Services } from "../services.js";

/**
 * Returns what makes a registry version the one that was approved: the run
 * that produced it and its artifact source. When either changes, the version
 * number points at a different model, and approvals given before are void.
 */
export function versionIdentity(version: ModelVersion): string {
  return `${version.run_id ?? ""}|${version.source ?? ""}`;
}

/**
 * Reads the promotion's version from the registry again and returns its
 * identity when it differs from the one recorded at request time ("(deleted)"
 * when the version is gone), or undefined when it is unchanged.
 */
export async function changedIdentity(
  services: Services,
  promotion: Pick<Promotion, "registryName" | "version" | "versionIdentity">,
): Promise<string | undefined> {
  if (!promotion.versionIdentity) return undefined;

  const version = await services.mlflow.getVersion(
    promotion.registryName,
    promotion.version,
  );
  const identity = version ? versionIdentity(version) : "(deleted)";
  return identity === promotion.versionIdentity ? undefined : identity;
}
