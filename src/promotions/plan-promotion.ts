import type { ModelEntry } from "../config/config-registry.js";
import { evaluateGates, type GateResult } from "../gates.js";
import { checkPreconditions, type Blocker } from "../preconditions.js";
import { releaseBlockers } from "./release-checks.js";
import type { Services } from "../services.js";
import { readRegistry } from "./registry-snapshot.js";

/** A promotion's plan, shown before anything is queued. */
export type PromotionPlan = {
  modelName: string;
  registryName: string;
  version: string;
  environment: string;
  versionFound: boolean;
  metrics: Record<string, number>;
  champion: { version: string; metrics: Record<string, number> } | undefined;
  gates: GateResult[];
  canary: number[] | undefined;
  bake: string | undefined;
  approvals: number;
  approvers: string[];
  requiredGroup: string | undefined;
  approvalTimeout: string | undefined;
  blockers: Blocker[];
};

/**
 * Works out a promotion's plan: the alias move, canary steps, gates against
 * the version's metrics, the approvals needed, and what blocks it now.
 * It reads the registry and Redis and changes nothing.
 */
export async function planPromotion(
  services: Services,
  params: {
    entry: ModelEntry;
    version: string;
    environment: string;
    user: string;
  },
): Promise<PromotionPlan> {
  const { entry, environment } = params;
  const registryName = entry.model.registry;
  const policy = entry.environments[environment];

  const { version, metrics, champion, championMetrics } = await readRegistry(
    services,
    { registryName, version: params.version, environment },
  );
  const { blockers } = await checkPreconditions(services, {
    entry,
    environment,
    version: params.version,
    user: params.user,
  });
  blockers.push(
    ...(await releaseBlockers(services, {
      entry,
      environment,
      version: params.version,
      requestedBy: params.user,
      metrics,
      champion: champion
        ? { version: champion.version, metrics: championMetrics }
        : undefined,
    })),
  );

  return {
    modelName: entry.name,
    registryName,
    version: params.version,
    environment,
    versionFound: version !== undefined,
    metrics,
    champion: champion
      ? { version: champion.version, metrics: championMetrics }
      : undefined,
    gates: evaluateGates(entry.model.gates, metrics),
    canary: policy?.canary,
    bake: policy?.bake,
    approvals: policy?.approvals ?? 1,
    approvers: policy?.approvers ?? [],
    requiredGroup: policy?.required_group,
    approvalTimeout: policy?.approval_timeout,
    blockers,
  };
}
