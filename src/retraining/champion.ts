import type { MlflowClient } from "../clients/mlflow.js";
import type { ModelEntry } from "../config/config-registry.js";
import { parseGate } from "../config/repo-config.js";

/** The version a new one must beat: the one holding the alias of the model's furthest environment. */
export type Champion = {
  version: string;
  environment: string;
  metrics: Record<string, number>;
};

export type MetricComparison = {
  metric: string;
  candidate: number | undefined;
  champion: number | undefined;
  /** Direction in which a value is better, read from the gate's operator. */
  better: "higher" | "lower";
  change: "better" | "worse" | "equal" | "unknown";
};

export type Comparison = {
  verdict: "no_champion" | "better" | "equal" | "worse";
  metrics: MetricComparison[];
};

/**
 * Finds the champion: the version holding the alias named after the model's
 * last environment that has one (production, else staging, else dev).
 */
export async function findChampion(
  mlflow: MlflowClient,
  entry: ModelEntry,
): Promise<Champion | undefined> {
  for (const environment of [...entry.order].reverse()) {
    const version = await mlflow.getVersionByAlias(
      entry.model.registry,
      environment,
    );
    if (!version) continue;

    const metrics = version.run_id
      ? await mlflow.getRunMetrics(version.run_id)
      : {};
    return { version: version.version, environment, metrics };
  }
  return undefined;
}

/**
 * Compares a version's metrics with the champion's on each gated metric
 * whose gate has a direction (`>=` and `>` mean higher is better, `<=` and
 * `<` lower). The version is better when it is worse on none of them and
 * better on at least one. Without a champion there is nothing to beat.
 */
export function compareWithChampion(
  gates: Record<string, string>,
  candidate: Record<string, number>,
  champion: Champion | undefined,
): Comparison {
  const metrics: MetricComparison[] = [];
  for (const [metric, expression] of Object.entries(gates)) {
    const better = direction(parseGate(expression).operator);
    if (!better) continue;

    const mine = candidate[metric];
    const theirs = champion?.metrics[metric];
    metrics.push({
      metric,
      candidate: mine,
      champion: theirs,
      better,
      change: change(mine, theirs, better),
    });
  }

  if (!champion) return { verdict: "no_champion", metrics };
  const changes = metrics.map((row) => row.change);
  if (changes.includes("worse")) return { verdict: "worse", metrics };
  if (changes.includes("better")) return { verdict: "better", metrics };
  return { verdict: "equal", metrics };
}

function direction(operator: string): "higher" | "lower" | undefined {
  if (operator === ">=" || operator === ">") return "higher";
  if (operator === "<=" || operator === "<") return "lower";
  return undefined;
}

function change(
  candidate: number | undefined,
  champion: number | undefined,
  better: "higher" | "lower",
): MetricComparison["change"] {
  if (candidate === undefined || champion === undefined) return "unknown";
  if (candidate === champion) return "equal";
  const higher = candidate > champion;
  return higher === (better === "higher") ? "better" : "worse";
}
