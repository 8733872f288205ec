import { z } from "zod";

export const PROMOTION_STATUSES = [
  "pending_approval",
  "approved",
  "deploying",
  "canary",
  "succeeded",
  "rejected",
  "expired",
  "failed",
  "rolled_back",
  "cancelled",
] as const;

export type PromotionStatus = (typeof PROMOTION_STATUSES)[number];

export const TERMINAL_STATUSES: ReadonlySet<PromotionStatus> = new Set([
  "succeeded",
  "rejected",
  "expired",
  "failed",
  "rolled_back",
  "cancelled",
]);

/** The moves a promotion may make; anything else is a conflict. */
export const ALLOWED_TRANSITIONS: Record<
  PromotionStatus,
  readonly PromotionStatus[]
> = {
  pending_approval: ["approved", "rejected", "expired", "cancelled", "failed"],
  // approved -> succeeded ends a protection-rule promotion, which deploys nothing itself.
  approved: ["deploying", "succeeded", "failed", "cancelled"],
  deploying: ["canary", "succeeded", "failed", "rolled_back"],
  canary: ["succeeded", "failed", "rolled_back"],
  succeeded: [],
  rejected: [],
  expired: [],
  failed: [],
  rolled_back: [],
  cancelled: [],
};

const metricsSchema = z.record(z.string(), z.number());

/**
 * The plan a canary promotion follows through its traffic shares, fixed from
 * the environment's configuration when the promotion is opened. Durations
 * are in milliseconds.
 */
export const canaryPlanSchema = z.object({
  /** Traffic shares in percent, increasing, the last one 100. */
  steps: z.array(z.number().int().min(1).max(100)).min(1),
  bakeMs: z.number().min(0),
  /** Time between health checks during a bake. */
  intervalMs: z.number().positive(),
  /** Maximum time from a step's start to the end of its bake, pauses excluded. */
  stepTimeoutMs: z.number().positive(),
  /** PromQL query that returns samples while the model is healthy. */
  health: z.string().optional(),
});

export type CanaryPlan = z.infer<typeof canaryPlanSchema>;

/** Phase of a canary promotion's current step: its deployment, its bake, or a pause for a person. */
export const STEP_PHASES = ["deploying", "baking", "paused"] as const;

export type StepPhase = (typeof STEP_PHASES)[number];

/** A promotion as stored: one Redis hash, validated on every read. */
export const promotionSchema = z.object({
  id: z.string(),
  model: z.string(),
  modelName: z.string(),
  repo: z.string(),
  installationId: z.coerce.number().int(),
  registryName: z.string(),
  version: z.string(),
  environment: z.string(),
  status: z.enum(PROMOTION_STATUSES),
  rev: z.coerce.number().int(),
  requestedBy: z.string(),
  requiredApprovals: z.coerce.number().int(),
  approvers: z.array(z.string()),
  channel: z.string(),
  messageTs: z.string().optional(),
  deploymentId: z.coerce.number().int().optional(),
  ref: z.string().optional(),
  sha: z.string().optional(),
  runId: z.string().optional(),
  metrics: metricsSchema,
  championVersion: z.string().optional(),
  championMetrics: metricsSchema,
  /** A Slack user group from which at least one approval must come. */
  requiredGroup: z.string().optional(),
  /** The registry's record of the version when it was requested (run and source). */
  versionIdentity: z.string().optional(),
  /** When a pending promotion expires, as an ISO time. */
  expiresAt: z.string().optional(),
  supersededBy: z.string().optional(),
  /**
   * Kind of promotion. A `protection_rule` responds to a GitHub deployment
   * protection rule instead of deploying. A `rollback` deploys an earlier
   * version without approval.
   */
  kind: z.enum(["release", "protection_rule", "rollback"]).default("release"),
  callbackUrl: z.string().optional(),
  workflowRunId: z.coerce.number().int().optional(),
  reason: z.string().optional(),
  /** Present on a production canary; see canaryPlanSchema. */
  canaryPlan: canaryPlanSchema.optional(),
  /** Index into canaryPlan.steps of the step in progress. */
  canaryStep: z.coerce.number().int().optional(),
  stepPhase: z.enum(STEP_PHASES).optional(),
  /** When the current step started, as an ISO time; its timeout counts from here. */
  stepStartedAt: z.string().optional(),
  /** When the current step's bake started, as an ISO time. */
  bakeStartedAt: z.string().optional(),
  /** The canary step that `deploymentId` was created for. */
  deploymentStep: z.coerce.number().int().optional(),
  /** On a rollback: the promotion it replaced, when there was one. */
  rollbackOf: z.string().optional(),
  /** On a promotion that was rolled back: the rollback promotion that replaced it. */
  rolledBackBy: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Promotion = z.infer<typeof promotionSchema>;

/** Fields stored as JSON text, each with the value a missing field reads as; every other field is a scalar. */
const JSON_FIELDS: Record<string, () => unknown> = {
  approvers: () => [],
  metrics: () => ({}),
  championMetrics: () => ({}),
  canaryPlan: () => undefined,
};

/** Converts a promotion into the flat string fields of its Redis hash. */
export function toHashFields(
  promotion: Partial<Promotion>,
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of Object.entries(promotion)) {
    if (value === undefined) continue;
    fields[key] =
      typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  return fields;
}

/** Parses the fields of a promotion's Redis hash; undefined when the hash is empty. */
export function fromHashFields(
  fields: Record<string, string>,
): Promotion | undefined {
  if (Object.keys(fields).length === 0) return undefined;

  const decoded: Record<string, unknown> = { ...fields };
  for (const [key, missing] of Object.entries(JSON_FIELDS)) {
    const raw = fields[key];
    decoded[key] = raw === undefined ? missing() : JSON.parse(raw);
  }
  return promotionSchema.parse(decoded);
}

export function isTerminal(status: PromotionStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
