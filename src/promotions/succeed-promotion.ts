import { slackCardJob } from "../../jobs/slack-card.js";
import type { Promotion, PromotionStatus } from "../promotion.js";
import type { Services } from "../services.js";
import type { UpdateParams } from "../store/promotion-store.js";
import { releaseSlot } from "./active-slot.js";

/**
 * Ends a promotion whose deployment (or last canary step) succeeded. Steps:
 * move the registry alias named after the environment to the version. End
 * the promotion `succeeded` together with the environment's live version
 * and release history, in a compare-and-set that a repeat cannot apply
 * twice. Pass the active slot on and queue the card's notes. The alias
 * moves first, so a crash between the two leaves a promotion that a retry
 * finishes.
 */
export async function succeedPromotion(
  services: Services,
  promotion: Promotion,
  params: {
    from: readonly PromotionStatus[];
    expect?: UpdateParams["expect"];
    actor: string;
  },
): Promise<Promotion | undefined> {
  await services.mlflow.setAlias(
    promotion.registryName,
    promotion.environment,
    promotion.version,
  );

  const rollback = promotion.kind === "rollback";
  const moved = await services.store.complete({
    id: promotion.id,
    from: params.from,
    expect: params.expect,
    actor: params.actor,
    history: rollback ? "trim" : "push",
    releaseHold: !rollback && promotion.requestedBy !== "gantry",
  });
  if (!moved.ok) return undefined;

  services.log.info(
    {
      promotionId: promotion.id,
      deploymentId: promotion.deploymentId,
      holdReleased: moved.holdReleased,
    },
    "promotion succeeded",
  );
  await releaseSlot(services, moved.promotion);
  await services.queues.add(
    slackCardJob,
    {
      promotionId: promotion.id,
      note: { kind: "alias_moved", alias: promotion.environment },
    },
    `card:${promotion.id}:alias`,
  );
  if (rollback && promotion.rollbackOf) {
    await services.queues.add(
      slackCardJob,
      {
        promotionId: promotion.rollbackOf,
        note: {
          kind: "rollback_done",
          rollbackId: promotion.id,
          version: promotion.version,
        },
      },
      `card:${promotion.rollbackOf}:rollback-done`,
    );
  }
  return moved.promotion;
}
