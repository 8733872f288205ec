import { formatDuration } from "../src/config/duration.js";
import type { Promotion } from "../src/promotion.js";
import { escapeMrkdwn } from "./limits.js";

/** The counts and last result of one canary step's health checks, for its thread note. */
export type CheckSummary = {
  checks: number;
  passed: number;
  noData: number;
  /** The last check's sentence, with its numbers. */
  last: string | undefined;
};

/** An event of a canary step, for a line in the card's thread. */
export type CanaryEvent =
  | {
      kind: "canary_deployment_created";
      deploymentId: number;
      sha: string;
      step: number;
    }
  | { kind: "bake_started"; step: number }
  | {
      kind: "health_no_data";
      step: number;
      check: number;
      checks: number;
      detail: string;
    }
  | { kind: "step_passed"; step: number; summary: CheckSummary }
  | { kind: "paused"; step: number; detail: string }
  | { kind: "resumed"; step: number; user: string };

const CANARY_KINDS = new Set<string>([
  "canary_deployment_created",
  "bake_started",
  "health_no_data",
  "step_passed",
  "paused",
  "resumed",
]);

export function isCanaryEvent(event: { kind: string }): event is CanaryEvent {
  return CANARY_KINDS.has(event.kind);
}

/** Names a step by its place and traffic share, for example "step 2 of 4 (25 %)". */
export function stepName(promotion: Promotion, step: number): string {
  const steps = promotion.canaryPlan?.steps ?? [];
  const percent = steps[step];
  const share = percent === undefined ? "" : ` (${percent} %)`;
  return `step ${step + 1} of ${steps.length}${share}`;
}

/** Renders a canary event as the text of a thread reply. */
export function canaryNoteText(
  promotion: Promotion,
  event: CanaryEvent,
): string {
  const step = stepName(promotion, event.step);
  const plan = promotion.canaryPlan;
  switch (event.kind) {
    case "canary_deployment_created":
      return `:rocket: Created deployment ${event.deploymentId} of ${subject(promotion)} to ${escapeMrkdwn(promotion.environment)} at \`${event.sha.slice(0, 7)}\` for canary ${step}: ${plan?.steps[event.step] ?? 100} % of traffic.`;
    case "bake_started": {
      const bake = formatDuration(plan?.bakeMs ?? 0);
      const checks = plan?.health
        ? `, checking \`${escapeMrkdwn(plan.health)}\` every ${formatDuration(plan.intervalMs)}`
        : ", with no health query configured";
      return `:hourglass_flowing_sand: Canary ${step} is deployed; baking for ${bake}${checks} and watching for critical alerts.`;
    }
    case "health_no_data":
      return `:grey_question: Health check ${event.check} of ${event.checks} in ${step}: ${escapeMrkdwn(event.detail)}.`;
    case "step_passed": {
      const checks = plan?.health
        ? summaryText(event.summary)
        : "no health query configured, no critical alert";
      return `:white_check_mark: Canary ${step} passed its ${formatDuration(plan?.bakeMs ?? 0)} bake: ${checks}.`;
    }
    case "paused":
      return `:double_vertical_bar: Canary paused at ${step}: the last health check was inconclusive (${escapeMrkdwn(event.detail)}). An approver can press Continue or Roll back on the card.`;
    case "resumed":
      return `:arrow_forward: <@${event.user}> pressed Continue at ${step}; the canary moves on.`;
  }
}

function subject(promotion: Promotion): string {
  return `${escapeMrkdwn(promotion.modelName)} ${escapeMrkdwn(promotion.version)}`;
}

function summaryText(summary: CheckSummary): string {
  const noData = summary.noData > 0 ? `, ${summary.noData} without data` : "";
  const last = summary.last ? `; last ${escapeMrkdwn(summary.last)}` : "";
  return `${summary.passed} of ${summary.checks} health checks passed${noData}${last}; no critical alert`;
}
