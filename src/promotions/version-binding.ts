import { slackCardJob } from "../../jobs/slack-card.js";
import type { Promotion } from "../promotion.js";
import type { Services } from "../services.js";
import { versionIdentity } from "./version-identity.js";

/**
 * Checks that the registry's record of the promotion's version is still the
 * one requested. When it changed, the approvals given so far are void, the
 * new record is kept, and the card says so. Returns false in that case.
 */
export async function checkVersionUnchanged(
  services: Services,
  promotion: Promotion,
): Promise<boolean> {
  if (!promotion.versionIdentity) return true;

  const version = await services.mlflow.getVersion(
    promotion.registryName,
    promotion.version,
  );
  const identity = version ? versionIdentity(version) : "(deleted)";
  if (identity === promotion.versionIdentity) return true;

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
