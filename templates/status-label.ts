import type { PromotionStatus } from "../src/promotion.js";

const LABELS: Record<PromotionStatus, string> = {
  pending_approval: ":hourglass_flowing_sand: Waiting for approval",
  approved: ":white_check_mark: Approved, queued for deployment",
  deploying: ":rocket: Deploying",
  canary: ":hatching_chick: Canary in progress",
  succeeded: ":large_green_circle: Succeeded",
  rejected: ":no_entry: Rejected",
  expired: ":alarm_clock: Expired",
  failed: ":red_circle: Failed",
  rolled_back: ":leftwards_arrow_with_hook: Rolled back",
  cancelled: ":heavy_multiplication_x: Cancelled",
};

export function statusLabel(status: PromotionStatus): string {
  return LABELS[status];
}
