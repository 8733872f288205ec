import { deploymentJob } from "../../jobs/deployment.js";
import { rollbackTicketJob } from "../../jobs/rollback-ticket.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import type { ModelEntry } from "../config/config-registry.js";
import {
  isTerminal,
  type Promotion,
  type PromotionStatus,
} from "../promotion.js";
import {
  activePromotionId,
  releaseSlot,
  takeSlot,
} from "../promotions/active-slot.js";
import type { Services } from "../services.js";
import type { UpdateParams } from "../store/promotion-store.js";
import { holdEnvironment } from "./hold.js";
import {
  releaseHistory,
  rollbackTarget,
  type HistoryEntry,
} from "./release-history.js";

/** A promotion in progress to end `rolled_back`, with the values its fields must still have. */
export type Replacing = {
  promotion: Promotion;
  expect: UpdateParams["expect"];
};

export type RollbackRequest = {
  model: string;
  environment: string;
  /** A Slack user, or "gantry" for an automatic rollback. */
  requestedBy: string;
  reason: string;
  /** The rollback card's channel when the model configures none. */
  fallbackChannel: string;
  /** Identifies the request, so a repeated one starts nothing twice. */
  requestKey: string;
  /** Without it, the active promotion is replaced, or else the live version rolled back. */
  replacing?: Replacing;
};

export type RollbackOutcome =
  | { outcome: "started"; rollback: Promotion; fromVersion: string }
  | { outcome: "nothing_to_roll_back"; fromVersion: string | undefined }
  | { outcome: "in_progress"; rollback: Promotion }
  | { outcome: "moved_on"; status: PromotionStatus | undefined }
  | { outcome: "not_configured" };

/** The target of a rollback request: a promotion to replace or to cancel, or a rollback already running. */
type Subject = {
  replacing?: Replacing;
  cancelling?: Promotion;
  running?: Promotion;
};

/**
 * Rolls an environment back to the last version that succeeded there before
 * the one being replaced. Approval and soak are skipped.
 *
 * Steps: find what is rolled back (the given promotion, the active one, or
 * the live version), pick the target from the environment's release
 * history, and open a rollback promotion. Then end the replaced promotion
 * `rolled_back` with a compare-and-set, which leaves a step that moved on
 * alone, and continue as continueRollback describes. With nothing to go
 * back to, nothing is deployed, and an automatic rollback ends the replaced
 * promotion `failed`.
 */
export async function startRollback(
  services: Services,
  request: RollbackRequest,
): Promise<RollbackOutcome> {
  const entry = await services.registry.entry(request.model);
  if (!entry) return { outcome: "not_configured" };

  const subject = await findSubject(services, request);
  if (subject.running)
    return { outcome: "in_progress", rollback: subject.running };

  const replaced = subject.replacing?.promotion;
  const live = await services.store.live(request.model, request.environment);
  const fromVersion = replaced?.version ?? live?.version;
  const history = await releaseHistory(
    services,
    request.model,
    request.environment,
  );
  const target =
    fromVersion === undefined
      ? undefined
      : rollbackTarget(history, fromVersion);
  if (!target || fromVersion === undefined) {
    if (subject.replacing && request.requestedBy === "gantry") {
      await failWithoutTarget(services, subject.replacing, request.reason);
    }
    return { outcome: "nothing_to_roll_back", fromVersion };
  }

  const { promotion: rollback, created } = await services.store.create(
    rollbackPromotion({ entry, request, target, fromVersion, replaced }),
    request.requestKey,
  );
  if (!created) return { outcome: "in_progress", rollback };

  if (subject.replacing) {
    const moved = await endReplaced(services, rollback, subject.replacing);
    if (!moved.ok) return { outcome: "moved_on", status: moved.status };
  }
  if (subject.cancelling) {
    await cancelForRollback(services, subject.cancelling, rollback);
  }
  await continueRollback(services, rollback);
  return { outcome: "started", rollback, fromVersion };
}

/** Rolls back a canary promotion on Gantry's own decision, for example a failed health check. */
export async function rollBackAutomatically(
  services: Services,
  promotion: Promotion,
  params: { expect: UpdateParams["expect"]; reason: string },
): Promise<RollbackOutcome> {
  const outcome = await startRollback(services, {
    model: promotion.model,
    environment: promotion.environment,
    requestedBy: "gantry",
    reason: params.reason,
    fallbackChannel: promotion.channel,
    requestKey: `rollback:${promotion.id}`,
    replacing: { promotion, expect: params.expect },
  });
  services.log.warn(
    {
      promotionId: promotion.id,
      outcome: outcome.outcome,
      reason: params.reason,
    },
    "automatic rollback",
  );
  return outcome;
}

/**
 * Carries a rollback promotion from its creation to its deployment. Steps:
 * hold the environment, approve the rollback, and make it the active
 * promotion ahead of any queue. Then queue its deployment, its card, a note
 * on the replaced promotion's card and, for an automatic rollback, its
 * incident ticket. Every step may run again after a crash.
 */
export async function continueRollback(
  services: Services,
  rollback: Promotion,
): Promise<void> {
  await holdEnvironment(services, {
    model: rollback.model,
    environment: rollback.environment,
    promotionId: rollback.rollbackOf ?? rollback.id,
    version: rollback.championVersion ?? "",
    actor: rollback.requestedBy,
    reason: rollback.reason ?? "rolled back",
  });
  await services.store.transition({
    id: rollback.id,
    from: ["pending_approval"],
    to: "approved",
    actor: rollback.requestedBy,
    reason: rollback.reason,
  });
  await takeSlot(services, rollback);

  await services.queues.add(
    deploymentJob,
    { promotionId: rollback.id },
    `deploy:${rollback.id}`,
  );
  await services.queues.add(
    slackCardJob,
    { promotionId: rollback.id },
    `card:${rollback.id}:created`,
  );
  if (rollback.rollbackOf) {
    await services.queues.add(
      slackCardJob,
      {
        promotionId: rollback.rollbackOf,
        note: {
          kind: "rolling_back",
          rollbackId: rollback.id,
          version: rollback.version,
          reason: rollback.reason ?? "rolled back",
        },
      },
      `card:${rollback.rollbackOf}:rolling-back`,
    );
  }
  if (rollback.requestedBy === "gantry" && rollback.rollbackOf) {
    await services.queues.add(
      rollbackTicketJob,
      { promotionId: rollback.rollbackOf },
      `rollback-ticket:${rollback.rollbackOf}`,
    );
  }
  services.log.info(
    {
      promotionId: rollback.id,
      rollbackOf: rollback.rollbackOf,
      model: rollback.model,
      environment: rollback.environment,
      version: rollback.version,
    },
    "rollback started",
  );
}

/**
 * Finishes a rollback that a crash interrupted after its promotion was
 * created: ends the promotion it replaces unless that one moved on (then
 * the rollback is cancelled), and continues.
 */
export async function resumeRollback(
  services: Services,
  rollback: Promotion,
): Promise<void> {
  const replaced = rollback.rollbackOf
    ? await services.store.get(rollback.rollbackOf)
    : undefined;
  if (replaced && replaced.rolledBackBy !== rollback.id) {
    const moved = await endReplaced(services, rollback, {
      promotion: replaced,
      expect: {},
    });
    if (!moved.ok) return;
  }
  await continueRollback(services, rollback);
}

async function findSubject(
  services: Services,
  request: RollbackRequest,
): Promise<Subject> {
  if (request.replacing) return { replacing: request.replacing };

  const id = await activePromotionId(
    services,
    request.model,
    request.environment,
  );
  const active = id ? await services.store.get(id) : undefined;
  if (!active || isTerminal(active.status)) return {};
  if (active.kind === "rollback") return { running: active };
  if (active.status === "approved") return { cancelling: active };
  return { replacing: { promotion: active, expect: { rev: active.rev } } };
}

function rollbackPromotion(params: {
  entry: ModelEntry;
  request: RollbackRequest;
  target: HistoryEntry;
  fromVersion: string;
  replaced: Promotion | undefined;
}) {
  const { entry, request, target } = params;
  return {
    model: entry.key,
    modelName: entry.name,
    repo: entry.repo,
    installationId: entry.installationId,
    registryName: entry.model.registry,
    version: target.version,
    environment: request.environment,
    requestedBy: request.requestedBy,
    requiredApprovals: 0,
    approvers: entry.environments[request.environment]?.approvers ?? [],
    channel:
      entry.channel ?? params.replaced?.channel ?? request.fallbackChannel,
    metrics: {},
    championVersion: params.fromVersion,
    championMetrics: {},
    kind: "rollback" as const,
    rollbackOf: params.replaced?.id,
    reason: request.reason,
  };
}

/**
 * Ends the replaced promotion `rolled_back` and names the rollback on it.
 * When it moved on instead, the rollback promotion is cancelled.
 */
async function endReplaced(
  services: Services,
  rollback: Promotion,
  replacing: Replacing,
): Promise<{ ok: true } | { ok: false; status: PromotionStatus | undefined }> {
  const moved = await services.store.update({
    id: replacing.promotion.id,
    from: ["deploying", "canary"],
    to: "rolled_back",
    expect: replacing.expect,
    actor: rollback.requestedBy,
    reason: rollback.reason,
    fields: { rolledBackBy: rollback.id },
  });
  if (moved.ok) return { ok: true };

  await services.store.transition({
    id: rollback.id,
    from: ["pending_approval"],
    to: "cancelled",
    actor: "gantry",
    reason: `promotion ${replacing.promotion.id} moved on before the rollback started`,
  });
  services.log.info(
    { promotionId: replacing.promotion.id, rollbackId: rollback.id },
    "rollback cancelled: the promotion moved on",
  );
  return {
    ok: false,
    status: moved.reason === "conflict" ? moved.current : undefined,
  };
}

async function cancelForRollback(
  services: Services,
  cancelling: Promotion,
  rollback: Promotion,
): Promise<void> {
  const moved = await services.store.transition({
    id: cancelling.id,
    from: ["approved"],
    to: "cancelled",
    actor: rollback.requestedBy,
    reason: `${rollback.environment} is rolled back to version ${rollback.version} (${rollback.id})`,
  });
  if (!moved.ok) return;
  await services.queues.add(
    slackCardJob,
    { promotionId: cancelling.id },
    `card:${cancelling.id}:cancelled-by:${rollback.id}`,
  );
}

/**
 * Ends a canary that must roll back but has no earlier version to go back
 * to: the promotion fails, the environment is held, and the slot passes on.
 */
async function failWithoutTarget(
  services: Services,
  replacing: Replacing,
  reason: string,
): Promise<void> {
  const { promotion } = replacing;
  const moved = await services.store.update({
    id: promotion.id,
    from: ["deploying", "canary"],
    to: "failed",
    expect: replacing.expect,
    actor: "gantry",
    reason: `${reason}; no earlier version succeeded in ${promotion.environment}, so there is nothing to roll back to`,
  });
  if (!moved.ok) return;

  await holdEnvironment(services, {
    model: promotion.model,
    environment: promotion.environment,
    promotionId: promotion.id,
    version: promotion.version,
    actor: "gantry",
    reason,
  });
  await releaseSlot(services, moved.promotion);
  await services.queues.add(
    slackCardJob,
    {
      promotionId: promotion.id,
      note: { kind: "nothing_to_roll_back", reason },
    },
    `card:${promotion.id}:nothing-to-roll-back`,
  );
  await services.queues.add(
    rollbackTicketJob,
    { promotionId: promotion.id },
    `rollback-ticket:${promotion.id}`,
  );
}
