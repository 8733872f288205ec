import { deploymentJob } from "../../jobs/deployment.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import { isTerminal, type Promotion } from "../promotion.js";
import { isHeld } from "../rollback/hold.js";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";
import { runReleaseScript } from "../store/release-scripts.js";

/** A promotion's place under the rule of one active promotion per model and environment. */
export type SlotClaim =
  { state: "active" } | { state: "waiting"; holder: string; position: number };

type SlotOwner = Pick<Promotion, "id" | "model" | "environment">;

function slotKeys(owner: SlotOwner): string[] {
  return [
    keys.activePromotion(owner.model, owner.environment),
    keys.promotionQueue(owner.model, owner.environment),
  ];
}

/**
 * Makes an approved promotion the active one of its model and environment,
 * or queues it behind the active one. A holder that already ended (a crash
 * kept it from releasing the slot) is released first.
 */
export async function claimSlot(
  services: Services,
  promotion: SlotOwner,
): Promise<SlotClaim> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const [state, holder = "", position = "0"] = (await runReleaseScript(
      services.redis,
      "gantryClaimSlot",
      slotKeys(promotion),
      [promotion.id, Date.now(), ""],
    )) as string[];
    if (state === "active") return { state: "active" };

    const current = await services.store.get(holder);
    if (attempt === 0 && (!current || isTerminal(current.status))) {
      services.log.warn(
        { promotionId: holder, status: current?.status },
        "active promotion had ended without releasing its slot",
      );
      await releaseSlot(services, { ...promotion, id: holder });
      continue;
    }
    return { state: "waiting", holder, position: Number(position) };
  }
  return { state: "active" };
}

/** Returns a waiting promotion's position in its queue, or undefined when it does not wait. */
export async function queuePosition(
  services: Services,
  promotion: SlotOwner,
): Promise<{ position: number; holder: string } | undefined> {
  const [activeKey = "", queueKey = ""] = slotKeys(promotion);
  const [rank, holder] = await Promise.all([
    services.redis.zrank(queueKey, promotion.id),
    services.redis.get(activeKey),
  ]);
  if (rank === null || !holder) return undefined;
  return { position: rank + 1, holder };
}

/** Returns the id of the model's active promotion in the environment, if any. */
export async function activePromotionId(
  services: Services,
  model: string,
  environment: string,
): Promise<string | undefined> {
  return (
    (await services.redis.get(keys.activePromotion(model, environment))) ??
    undefined
  );
}

/**
 * Makes a rollback the active promotion at once, ahead of any queue, and
 * returns the id of the promotion that was active.
 */
export async function takeSlot(
  services: Services,
  rollback: SlotOwner,
): Promise<string | undefined> {
  const previous = (await runReleaseScript(
    services.redis,
    "gantryTakeSlot",
    slotKeys(rollback),
    [rollback.id],
  )) as string;
  return previous === "" || previous === rollback.id ? undefined : previous;
}

/**
 * Releases the slot of a promotion that ended (or leaves its queue) and
 * starts the first approved promotion waiting behind it. A waiting
 * promotion that Gantry itself requested is cancelled instead when the
 * environment is held after a rollback. The cards of those still waiting
 * are updated with their new positions.
 */
export async function releaseSlot(
  services: Services,
  ended: SlotOwner,
): Promise<void> {
  let releasing = ended.id;
  for (let guard = 0; guard < 100; guard++) {
    const [outcome, nextId = ""] = (await runReleaseScript(
      services.redis,
      "gantryReleaseSlot",
      slotKeys(ended),
      [releasing],
    )) as string[];
    if (outcome !== "next") break;

    const next = await services.store.get(nextId);
    if (next?.status === "approved" && (await startWaiting(services, next)))
      break;
    releasing = nextId;
  }
  await refreshWaitingCards(services, ended);
}

/** Starts a promotion that waited for the slot; returns false when it was cancelled instead. */
async function startWaiting(
  services: Services,
  next: Promotion,
): Promise<boolean> {
  if (
    next.requestedBy === "gantry" &&
    (await isHeld(services, next.model, next.environment))
  ) {
    const moved = await services.store.transition({
      id: next.id,
      from: ["approved"],
      to: "cancelled",
      actor: "gantry",
      reason: `${next.environment} is held after a rollback; Gantry promotes nothing into it until someone promotes by hand`,
    });
    if (moved.ok) {
      await services.queues.add(
        slackCardJob,
        { promotionId: next.id },
        `card:${next.id}:held`,
      );
    }
    return false;
  }

  services.log.info(
    { promotionId: next.id, environment: next.environment },
    "queued promotion started",
  );
  await services.queues.add(
    deploymentJob,
    { promotionId: next.id },
    `deploy:${next.id}:start`,
  );
  await services.queues.add(
    slackCardJob,
    { promotionId: next.id },
    `card:${next.id}:started`,
  );
  return true;
}

async function refreshWaitingCards(
  services: Services,
  ended: SlotOwner,
): Promise<void> {
  const waiting = await services.redis.zrange(
    keys.promotionQueue(ended.model, ended.environment),
    0,
    -1,
  );
  for (const id of waiting) {
    await services.queues.add(
      slackCardJob,
      { promotionId: id },
      `card:${id}:queue-after:${ended.id}`,
    );
  }
}
