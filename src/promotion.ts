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
  approved: ["deploying", "failed", "cancelled"],
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
  reason: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type Promotion = z.infer<typeof promotionSchema>;

/** Fields stored as JSON text; every other field is a scalar. */
const JSON_FIELDS = ["approvers", "metrics", "championMetrics"] as const;

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
  for (const key of JSON_FIELDS) {
    const raw = fields[key];
    decoded[key] =
      raw === undefined ? (key === "approvers" ? [] : {}) : JSON.parse(raw);
  }
  return promotionSchema.parse(decoded);
}

export function isTerminal(status: PromotionStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
