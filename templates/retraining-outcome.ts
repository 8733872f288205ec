import type { GateResult } from "../src/gates.js";
import type { VersionEvaluation } from "../src/retraining/evaluate-version.js";
import { RUN_ID_TAG } from "../src/retraining/find-version.js";
import type { RetrainingOutcome } from "../src/retraining/outcome.js";
import type { RetrainingRun } from "../src/retraining/retraining-run.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";

export type RetrainingOutcomeText = {
  channelMessage: string;
  ticketComment: string;
};

/**
 * Renders how a retraining run ended, for the model's Slack channel and the
 * drift ticket: the decision first, then each gated metric with the
 * champion's value, then where the version came from and the run's link.
 */
export function retrainingOutcome(
  run: RetrainingRun,
  outcome: RetrainingOutcome,
): RetrainingOutcomeText {
  const headline = plainHeadline(run, outcome);
  const details =
    "evaluation" in outcome ? evaluationLines(run, outcome.evaluation) : [];
  const runLine = run.workflowRunUrl
    ? `Workflow run: ${run.workflowRunUrl}`
    : `Workflow: ${run.workflow}`;
  const reasonLine = `Reason for retraining: ${run.reason}`;

  const channelMessage = [
    `${EMOJI[outcome.kind]} ${escapeMrkdwn(headline)}`,
    ...details.map((line) => `• ${escapeMrkdwn(line)}`),
    escapeMrkdwn(reasonLine),
    run.workflowRunUrl
      ? `<${run.workflowRunUrl}|Workflow run ${run.workflowRunId ?? ""}>`
      : escapeMrkdwn(runLine),
  ].join("\n");
  const ticketComment = [
    headline,
    ...details.map((line) => `- ${line}`),
    reasonLine,
    runLine,
  ].join("\n");

  return {
    channelMessage: truncate(channelMessage, LIMITS.sectionText),
    ticketComment,
  };
}

const EMOJI: Record<RetrainingOutcome["kind"], string> = {
  promoted: ":rocket:",
  promotion_blocked: ":warning:",
  not_deployed: ":white_check_mark:",
  not_better: ":heavy_minus_sign:",
  gates_failed: ":x:",
  no_version: ":grey_question:",
  training_failed: ":red_circle:",
  dispatch_failed: ":red_circle:",
  evaluation_failed: ":red_circle:",
  model_removed: ":grey_question:",
};

function plainHeadline(run: RetrainingRun, outcome: RetrainingOutcome): string {
  const model = run.modelName;
  switch (outcome.kind) {
    case "training_failed":
      return `Retraining of ${model} failed: the training workflow run ended with conclusion "${outcome.conclusion}". Nothing was deployed.`;
    case "dispatch_failed":
      return `Retraining of ${model} could not start: ${outcome.detail}`;
    case "evaluation_failed":
      return `Retraining of ${model} finished, but Gantry could not evaluate the new version: ${outcome.detail}. Nothing was deployed; check the version in MLflow and promote it with /promote if it is good.`;
    case "model_removed":
      return `Retraining of ${model} finished, but the model is no longer in ${run.repo}'s .github/gantry.yml. Nothing was deployed.`;
    case "no_version":
      return `Retraining of ${model} finished, but MLflow model "${run.registryName}" has no version tagged ${RUN_ID_TAG}=${run.workflowRunId ?? "?"} and none registered since the run started. Nothing was deployed.`;
  }

  const { evaluation } = outcome;
  const version = `version ${evaluation.version.version}`;
  const against = championPhrase(evaluation);
  switch (outcome.kind) {
    case "gates_failed":
      return `Retraining of ${model} produced ${version}, which failed its gates (${failedGates(evaluation.gates)}). Nothing was deployed.`;
    case "not_better":
      return `Retraining of ${model} produced ${version}, which passes its gates but does not beat ${against}. Nothing was deployed.`;
    case "not_deployed":
      return outcome.environment
        ? `Retraining of ${model} produced ${version}, which passes its gates and beats ${against}. ${outcome.environment} has no auto_deploy, so nothing was deployed; promote it with /promote ${model} ${evaluation.version.version} ${outcome.environment}.`
        : `Retraining of ${model} produced ${version}, which passes its gates and beats ${against}. The model has no environments, so nothing was deployed.`;
    case "promotion_blocked":
      return `Retraining of ${model} produced ${version}, which passes its gates and beats ${against}, but its promotion to ${outcome.environment} is blocked: ${outcome.blockers.join("; ")}.`;
    case "promoted":
      return `Retraining of ${model} produced ${version}, which passes its gates and beats ${against}. Gantry opened promotion ${outcome.promotionId} to ${outcome.environment}.`;
  }
}

function championPhrase(evaluation: VersionEvaluation): string {
  const champion = evaluation.champion;
  if (!champion) return "the champion (no environment has a version yet)";
  return `version ${champion.version} (${champion.environment})`;
}

function failedGates(gates: GateResult[]): string {
  return gates
    .filter((gate) => !gate.passed)
    .map(
      (gate) =>
        `${gate.metric} ${gate.value === undefined ? "not logged" : formatNumber(gate.value)}, gate ${gate.expression.trim()}`,
    )
    .join("; ");
}

/** Renders one line per gated metric with the version's value, the gate and the champion's value. */
function evaluationLines(
  run: RetrainingRun,
  evaluation: VersionEvaluation,
): string[] {
  const champion = evaluation.champion;
  const lines = evaluation.gates.map((gate) => {
    const row = evaluation.comparison.metrics.find(
      (metric) => metric.metric === gate.metric,
    );
    const value =
      gate.value === undefined ? "not logged" : formatNumber(gate.value);
    const verdict = gate.passed ? "passed" : "failed";
    const versus =
      champion && row
        ? `; v${champion.version}: ${formatNumber(row.champion)} (${row.change})`
        : "";
    return `${gate.metric}: ${value}, gate ${gate.expression.trim()} ${verdict}${versus}`;
  });
  if (lines.length === 0)
    lines.push(`${run.modelName} has no gates in .github/gantry.yml.`);

  lines.push(
    evaluation.foundBy === "tag"
      ? `Version ${evaluation.version.version} was found by its ${RUN_ID_TAG} tag.`
      : `No version carries the ${RUN_ID_TAG} tag; version ${evaluation.version.version} is the newest registered since the run started.`,
  );
  return lines;
}

function formatNumber(value: number | undefined): string {
  if (value === undefined) return "–";
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}
