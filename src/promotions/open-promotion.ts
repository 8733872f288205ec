import { deploymentJob } from "../../jobs/deployment.js";
import { promotionExpiryJob } from "../../jobs/promotion-expiry.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import type { ModelEntry } from "../config/config-registry.js";
import { parseDuration } from "../config/duration.js";
import { recordFreezeBreak } from "../environment-freezes.js";
import { canaryPlanFor } from "../canary/canary-plan.js";
import { checkPreconditions, type Blocker } from "../preconditions.js";
import type { Promotion } from "../promotion.js";
import type { Services } from "../services.js";
import { releaseBlockers } from "./release-checks.js";
import { readRegistry } from "./registry-snapshot.js";
import { versionIdentity } from "./version-identity.js";

/** Deadline for a protection rule whose environment sets no approval_timeout. */
const PROTECTION_RULE_TIMEOUT_MS = 24 * 3_600_000;

export type OpenRequest = {
  entry: ModelEntry;
  version: string;
  environment: string;
  requestedBy: string;
  /** The card's channel when the model configures none. */
  fallbackChannel: string;
  /** Identifies the request, so a retry opens nothing twice. */
  requestKey: string;
  /** An approver's reason for promoting during a freeze. */
  breakFreezeReason?: string;
  kind?: Promotion["kind"];
  /**
   * False when `version` is not a registry version (a protection rule names
   * only a commit): the registry and stage order are then not checked.
   */
  registryVersion?: boolean;
  callbackUrl?: string;
  workflowRunId?: number;
};

export type OpenOutcome =
  | { outcome: "version_not_found"; registryName: string }
  | { outcome: "blocked"; blockers: Blocker[] }
  | { outcome: "opened"; promotion: Promotion; created: boolean };

/**
 * Opens a promotion of one version into one environment. Steps: check the
 * version in the registry and read its metrics and the live version's.
 * Check the preconditions, the gates against the version's and the
 * champion's metrics, and, for automation, the environment's hold. Store
 * the promotion with its canary plan, supersede older pending ones,
 * schedule its expiry, and queue its card (and its deployment when the
 * environment needs no approval).
 */
export async function openPromotion(
  services: Services,
  request: OpenRequest,
): Promise<OpenOutcome> {
  const { entry, environment } = request;
  const registryName = entry.model.registry;
  const registryVersion = request.registryVersion ?? true;
  const { version, metrics, champion, championMetrics } = await readRegistry(
    services,
    {
      registryName,
      version: request.version,
      environment,
      lookupVersion: registryVersion,
    },
  );
  if (registryVersion && !version) {
    return { outcome: "version_not_found", registryName };
  }

  const { blockers } = await checkPreconditions(services, {
    entry,
    environment,
    version: request.version,
    user: request.requestedBy,
    breakFreeze: request.breakFreezeReason !== undefined,
    stageOrder: registryVersion,
  });
  blockers.push(
    ...(await releaseBlockers(services, {
      entry,
      environment,
      version: request.version,
      requestedBy: request.requestedBy,
      metrics,
      champion: champion
        ? { version: champion.version, metrics: championMetrics }
        : undefined,
    })),
  );
  if (blockers.length > 0) return { outcome: "blocked", blockers };

  const policy = entry.environments[environment];
  // A protection rule keeps a GitHub run waiting, so it always gets a deadline.
  const timeoutMs = policy?.approval_timeout
    ? parseDuration(policy.approval_timeout)
    : request.kind === "protection_rule"
      ? PROTECTION_RULE_TIMEOUT_MS
      : undefined;
  const { promotion, created } = await services.store.create(
    {
      model: entry.key,
      modelName: entry.name,
      repo: entry.repo,
      installationId: entry.installationId,
      registryName,
      version: request.version,
      environment,
      requestedBy: request.requestedBy,
      requiredApprovals: policy?.approvals ?? 1,
      approvers: policy?.approvers ?? [],
      requiredGroup: policy?.required_group,
      channel: entry.channel ?? request.fallbackChannel,
      runId: version?.run_id,
      versionIdentity: version ? versionIdentity(version) : undefined,
      metrics,
      championVersion: champion?.version,
      championMetrics,
      expiresAt: timeoutMs
        ? new Date(Date.now() + timeoutMs).toISOString()
        : undefined,
      kind: request.kind,
      callbackUrl: request.callbackUrl,
      workflowRunId: request.workflowRunId,
      canaryPlan:
        request.kind === "protection_rule" ? undefined : canaryPlanFor(policy),
    },
    request.requestKey,
  );
  services.log.info(
    {
      promotionId: promotion.id,
      model: entry.key,
      version: request.version,
      environment,
      created,
    },
    "promotion opened",
  );

  if (created) {
    await supersedeOlder(services, promotion);
    if (request.breakFreezeReason !== undefined) {
      await recordFreezeBreak(services, {
        environment,
        promotionId: promotion.id,
        user: request.requestedBy,
        reason: request.breakFreezeReason,
      });
    }
  }
  if (timeoutMs) {
    await services.queues.add(
      promotionExpiryJob,
      { promotionId: promotion.id },
      `expire:${promotion.id}`,
      {
        delay: timeoutMs,
      },
    );
  }
  await startPromotion(services, promotion);
  return { outcome: "opened", promotion, created };
}

/**
 * Cancels older pending promotions of the same model and environment; each
 * card then names the promotion that replaced it.
 */
async function supersedeOlder(
  services: Services,
  newest: Promotion,
): Promise<void> {
  const pending = await services.store.listByStatus(newest.model, [
    "pending_approval",
  ]);
  for (const older of pending) {
    if (older.id === newest.id || older.environment !== newest.environment)
      continue;
    if (older.createdAt > newest.createdAt) continue;

    const moved = await services.store.transition({
      id: older.id,
      from: ["pending_approval"],
      to: "cancelled",
      actor: newest.requestedBy,
      reason: `superseded by ${newest.id} (version ${newest.version})`,
      fields: { supersededBy: newest.id },
    });
    if (!moved.ok) continue;

    services.log.info(
      { promotionId: older.id, supersededBy: newest.id },
      "promotion superseded",
    );
    await services.queues.add(
      slackCardJob,
      { promotionId: older.id },
      `card:${older.id}:superseded`,
    );
  }
}

/** Queues the card, and the deployment when the environment needs no approval. */
async function startPromotion(
  services: Services,
  promotion: Promotion,
): Promise<void> {
  if (promotion.requiredApprovals === 0) {
    const moved = await services.store.transition({
      id: promotion.id,
      from: ["pending_approval"],
      to: "approved",
      actor: "gantry",
      reason: "the environment requires no approval",
    });
    if (
      moved.ok ||
      (moved.reason === "conflict" && moved.current === "approved")
    ) {
      await services.queues.add(
        deploymentJob,
        { promotionId: promotion.id },
        `deploy:${promotion.id}`,
      );
    }
  }
  await services.queues.add(
    slackCardJob,
    { promotionId: promotion.id },
    `card:${promotion.id}:created`,
  );
}
