import type { ModelEntry } from "../config/config-registry.js";
import { evaluateGates } from "../gates.js";
import type { Blocker } from "../preconditions.js";
import { compareWithChampion } from "../retraining/champion.js";
import { findHold } from "../rollback/hold.js";
import type { Services } from "../services.js";

export type ReleaseCheckParams = {
  entry: ModelEntry;
  environment: string;
  version: string;
  requestedBy: string;
  metrics: Record<string, number>;
  /** The version holding the environment's alias, with its run's metrics. */
  champion: { version: string; metrics: Record<string, number> } | undefined;
};

/**
 * Checks what a release needs beyond the preconditions: the model's gates
 * against the version's metrics and against the champion, and, for a
 * promotion that Gantry itself requests, that the environment is not held
 * after a rollback.
 */
export async function releaseBlockers(
  services: Services,
  params: ReleaseCheckParams,
): Promise<Blocker[]> {
  const blockers = gateBlockers(params);
  if (params.requestedBy !== "gantry") return blockers;

  const hold = await findHold(services, params.entry.key, params.environment);
  if (hold) {
    blockers.push({
      code: "held",
      message: `${params.environment} is held since version ${hold.version} was rolled back at ${hold.at} (${hold.reason}), so Gantry promotes nothing into it automatically`,
      fix: `promote a version to ${params.environment} by hand with /promote; its success ends the hold`,
    });
  }
  return blockers;
}

/**
 * Returns a blocker for each gate the version fails: its logged metric
 * misses the gate's threshold, or is worse than the champion's (by the
 * direction the gate's operator gives). A metric the version's run did not
 * log does not block here, because approvers see it missing on the card.
 */
export function gateBlockers(params: ReleaseCheckParams): Blocker[] {
  const { entry, version, environment, champion } = params;
  const gates = entry.model.gates;
  const blockers: Blocker[] = [];

  for (const gate of evaluateGates(gates, params.metrics)) {
    if (gate.passed || gate.value === undefined) continue;
    blockers.push({
      code: "gate_failed",
      message: `${gate.metric} of version ${version} is ${gate.value}, which fails the gate ${gate.metric} ${gate.expression.trim()}`,
      fix: `promote a version that passes the gates of ${entry.name}, or change the gate in .github/gantry.yml`,
    });
  }

  if (!champion || champion.version === version) return blockers;
  const comparison = compareWithChampion(gates, params.metrics, {
    ...champion,
    environment,
  });
  for (const row of comparison.metrics) {
    if (row.change !== "worse") continue;
    blockers.push({
      code: "gate_failed",
      message: `${row.metric} of version ${version} is ${row.candidate}, worse than ${row.champion} for version ${champion.version}, the version the ${environment} alias points to (${row.better} is better)`,
      fix: `promote a version at least as good as version ${champion.version} on the gated metrics, or change the gate in .github/gantry.yml`,
    });
  }
  return blockers;
}
