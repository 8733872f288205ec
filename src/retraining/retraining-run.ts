import { createHash } from "node:crypto";
import { z } from "zod";

export const RETRAINING_SOURCES = [
  "slack",
  "drift",
  "schedule",
  "pull_request",
] as const;

export type RetrainingSource = (typeof RETRAINING_SOURCES)[number];

/** Outcomes a retraining run can end with. Each has its own Slack message and ticket comment. */
export const RETRAINING_OUTCOMES = [
  "promoted",
  "promotion_blocked",
  "not_deployed",
  "not_better",
  "gates_failed",
  "no_version",
  "training_failed",
  "dispatch_failed",
  "model_removed",
  "evaluation_failed",
] as const;

export type RetrainingOutcomeKind = (typeof RETRAINING_OUTCOMES)[number];

/**
 * A retraining run as stored in one Redis hash. `queued` until the training
 * workflow is dispatched, `dispatched` until its workflow run completes,
 * then `completed` with an outcome.
 */
export const retrainingRunSchema = z.object({
  id: z.string(),
  modelKey: z.string(),
  modelName: z.string(),
  repo: z.string(),
  installationId: z.coerce.number().int(),
  registryName: z.string(),
  /** The training workflow's file name or id, as `training_workflow` gives it. */
  workflow: z.string(),
  reason: z.string(),
  ticket: z.string().optional(),
  requestedBy: z.string(),
  source: z.enum(RETRAINING_SOURCES),
  responseUrl: z.string().optional(),
  /** The Slack channel the request came from, used when the model configures none. */
  channel: z.string().optional(),
  status: z.enum(["queued", "dispatched", "completed"]),
  requestedAt: z.string(),
  /** Set before the dispatch request, so a retried job looks for the run first. */
  dispatchAttemptedAt: z.string().optional(),
  dispatchedAt: z.string().optional(),
  ref: z.string().optional(),
  workflowRunId: z.coerce.number().int().optional(),
  workflowRunUrl: z.string().optional(),
  outcome: z.enum(RETRAINING_OUTCOMES).optional(),
  /** The notice that reports the outcome, as JSON, kept so a retried job can send it. */
  notice: z.string().optional(),
  completedAt: z.string().optional(),
});

export type RetrainingRun = z.infer<typeof retrainingRunSchema>;

export type NewRetrainingRun = Omit<
  RetrainingRun,
  | "status"
  | "dispatchAttemptedAt"
  | "dispatchedAt"
  | "ref"
  | "workflowRunId"
  | "workflowRunUrl"
  | "outcome"
  | "notice"
  | "completedAt"
>;

/** Notice about one step of a retraining run, for Slack and the drift ticket. */
export const retrainingNoticeSchema = z.object({
  /** Names the step, so a retried job sends each part once. */
  step: z.string(),
  /** A post in the model's release channel. */
  channelMessage: z.string(),
  /** A comment on the run's drift ticket, when the run has one. */
  ticketComment: z.string(),
  /** An ephemeral reply to the /retrain command, when the run came from one. */
  reply: z.string().optional(),
});

export type RetrainingNotice = z.infer<typeof retrainingNoticeSchema>;

/** Returns the run id for a request's dedupe key, so a repeated request names the same run. */
export function retrainingRunId(dedupeKey: string): string {
  const digest = createHash("sha256").update(dedupeKey).digest("hex");
  return `rtr_${digest.slice(0, 20)}`;
}

/** Converts run fields into the flat string fields of its Redis hash, leaving out unset ones. */
export function toRunFields(
  fields: Partial<RetrainingRun>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) flat[key] = String(value);
  }
  return flat;
}
