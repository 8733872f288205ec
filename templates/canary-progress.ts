import type { KnownBlock } from "@slack/types";
import { formatDuration } from "../src/config/duration.js";
import type { Promotion } from "../src/promotion.js";
import { escapeMrkdwn } from "./limits.js";

export const CANARY_CONTINUE_ACTION = "canary_continue";
export const CANARY_ROLLBACK_ACTION = "canary_rollback";
export const CANCEL_QUEUED_ACTION = "promotion_cancel";

/** The position of a waiting promotion behind the active one of its model and environment. */
export type QueuePlace = { position: number; holder: string };

/** The value of the Continue and Roll back buttons: which step of which promotion they act on. */
export type CanaryButtonValue = { promotionId: string; step: number };

/**
 * Shows a canary's steps on one line, for example
 * `5 % ✓ → *25 %* baking → 50 % → 100 %`, with the bake's end while baking.
 */
export function canaryProgressText(promotion: Promotion): string | undefined {
  const plan = promotion.canaryPlan;
  if (!plan) return undefined;

  const current = promotion.canaryStep;
  const succeeded = promotion.status === "succeeded";
  const stopped =
    promotion.status === "failed" || promotion.status === "rolled_back";
  const steps = plan.steps.map((percent, index) => {
    if (succeeded || (current !== undefined && index < current))
      return `${percent} % ✓`;
    if (index !== current) return `${percent} %`;
    if (stopped) return `*${percent} %* ✗`;
    return `*${percent} %* ${phaseText(promotion)}`;
  });
  const bake = `bake ${formatDuration(plan.bakeMs)} per step`;
  return `*Canary:* ${steps.join(" → ")} (${bake})`;
}

function phaseText(promotion: Promotion): string {
  const plan = promotion.canaryPlan;
  switch (promotion.stepPhase) {
    case "baking": {
      if (!plan || !promotion.bakeStartedAt) return "baking";
      const until = new Date(Date.parse(promotion.bakeStartedAt) + plan.bakeMs);
      return `baking until ${until.toISOString()}`;
    }
    case "paused":
      return "paused: the health check was inconclusive";
    case "deploying":
      return "deploying";
    default:
      return "";
  }
}

/** Builds the Continue and Roll back buttons of a paused canary. */
export function pausedButtons(promotion: Promotion): KnownBlock {
  const value = JSON.stringify({
    promotionId: promotion.id,
    step: promotion.canaryStep ?? 0,
  } satisfies CanaryButtonValue);
  return {
    type: "actions",
    block_id: "canary_actions",
    elements: [
      {
        type: "button",
        action_id: CANARY_CONTINUE_ACTION,
        style: "primary",
        text: { type: "plain_text", text: "Continue" },
        value,
      },
      {
        type: "button",
        action_id: CANARY_ROLLBACK_ACTION,
        style: "danger",
        text: { type: "plain_text", text: "Roll back" },
        value,
      },
    ],
  };
}

/** Says where an approved promotion waits, and that Cancel takes it out of the queue. */
export function queueText(queue: QueuePlace): string {
  return `:hourglass: *Waiting:* number ${queue.position} in line behind ${escapeMrkdwn(queue.holder)}, the active promotion to this environment; it starts when that one ends. The requester or an approver can cancel it.`;
}

export function cancelButton(promotionId: string): KnownBlock {
  return {
    type: "actions",
    block_id: "queue_actions",
    elements: [
      {
        type: "button",
        action_id: CANCEL_QUEUED_ACTION,
        text: { type: "plain_text", text: "Cancel" },
        value: promotionId,
      },
    ],
  };
}
