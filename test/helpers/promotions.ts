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
