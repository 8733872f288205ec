import { slackCardJob } from "../../jobs/slack-card.js";
import type { Promotion } from "../promotion.js";
import type { Services } from "../services.js";
import { changedIdentity } from "./version-identity.js";

/**
 * Checks that the registry's record of the promotion's version is still the
 * one requested. When it changed, the approvals given so far are void, the
 * new record is kept, and the card shows it. Returns false in that case.
 */
export async function checkVersionUnchanged(
  services: Services,
  promotion: Promotion,
): Promise<boolean> {
  const identity = await changedIdentity(services, promotion);
  if (identity === undefined) return true;

  const reason = `version ${promotion.version} changed in the model registry (was ${promotion.versionIdentity}, now ${identity}); approvals given before are void`;
  const voided = await services.store.voidApprovals(
    promotion.id,
    identity,
    reason,
  );
  if (voided !== undefined) {
    services.log.warn(
      {
        promotionId: promotion.id,
        voided,
        was: promotion.versionIdentity,
        now: identity,
      },
      "version changed; approvals voided",
    );
    await services.queues.add(
      slackCardJob,
      { promotionId: promotion.id, note: { kind: "approvals_voided", reason } },
      `card:${promotion.id}:voided:${identity}`,
    );
  }
  return false;
}
