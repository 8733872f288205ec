import { promotionSchema, type Promotion } from "../../src/promotion.js";
import type { NewPromotion } from "../../src/store/promotion-store.js";

/** A promotion of churn 42 to staging as /promote would create it; fields may be overridden. */
export function newPromotion(
  overrides: Partial<NewPromotion> = {},
): NewPromotion {
  return {
    model: "example-user/Hello-World:churn",
    modelName: "churn",
    repo: "example-user/Hello-World",
    installationId: 4242,
    registryName: "churn-model",
    version: "42",
    environment: "staging",
    requestedBy: "U0000001",
    requiredApprovals: 2,
    approvers: ["U0000002", "U0000003", "U0000004"],
    channel: "C0RELEASES",
    metrics: { accuracy: 0.934 },
    championVersion: "41",
    championMetrics: { accuracy: 0.91 },
    ...overrides,
  };
}

/** Returns a promotion as the store returns it after creation, with `overrides` applied. */
export function storedPromotion(overrides: Partial<Promotion> = {}): Promotion {
  return promotionSchema.parse({
    ...newPromotion(),
    id: "prm_lx7k2m9a0b1c2d3e4f",
    status: "pending_approval",
    rev: 0,
    createdAt: "2024-05-14T09:30:00.000Z",
    updatedAt: "2024-05-14T09:30:00.000Z",
    ...overrides,
  });
}
