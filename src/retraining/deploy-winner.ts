import type { ModelEntry } from "../config/config-registry.js";
import { openPromotion } from "../promotions/open-promotion.js";
import type { Services } from "../services.js";
import type { VersionEvaluation } from "./evaluate-version.js";
import type { RetrainingRun } from "./retraining-run.js";

/** Decision on a trained version, with the promotion it led to. */
export type VersionDecision =
  | { kind: "gates_failed" | "not_better" }
  | { kind: "not_deployed"; environment: string | undefined }
  | { kind: "promotion_blocked"; environment: string; blockers: string[] }
  | { kind: "promoted"; environment: string; promotionId: string };

/**
 * Decides on a trained version and acts: a version that fails a gate, or
 * does not beat the champion, stays where it is. A winner is promoted to
 * the model's first environment when that environment has `auto_deploy`,
 * through the same path as /promote, requested by "gantry".
 */
export async function deployWinner(
  services: Services,
  params: {
    run: RetrainingRun;
    entry: ModelEntry;
    evaluation: VersionEvaluation;
  },
): Promise<VersionDecision> {
  const { run, entry, evaluation } = params;
  if (evaluation.gates.some((gate) => !gate.passed))
    return { kind: "gates_failed" };
  const verdict = evaluation.comparison.verdict;
  if (verdict !== "better" && verdict !== "no_champion")
    return { kind: "not_better" };

  const environment = entry.order[0];
  if (!environment || !entry.environments[environment]?.auto_deploy)
    return { kind: "not_deployed", environment };

  const opened = await openPromotion(services, {
    entry,
    version: evaluation.version.version,
    environment,
    requestedBy: "gantry",
    fallbackChannel: run.channel ?? entry.alertsChannel ?? "",
    requestKey: `retraining:${run.id}`,
  });
  switch (opened.outcome) {
    case "opened":
      return {
        kind: "promoted",
        environment,
        promotionId: opened.promotion.id,
      };
    case "blocked":
      return {
        kind: "promotion_blocked",
        environment,
        blockers: opened.blockers.map(
          (blocker) => `${blocker.message} (${blocker.fix})`,
        ),
      };
    case "version_not_found":
      return {
        kind: "promotion_blocked",
        environment,
        blockers: [
          `version ${evaluation.version.version} is no longer in the model registry (MLflow model "${opened.registryName}")`,
        ],
      };
  }
}
