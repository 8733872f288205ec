import { soakProposalJob } from "../../jobs/soak-proposal.js";
import type { ModelEntry } from "../config/config-registry.js";
import { parseDuration } from "../config/duration.js";
import { isTerminal } from "../promotion.js";
import { isHeld } from "../rollback/hold.js";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";

/** A version to propose for the environment after the one where it soaked. */
export type SoakProposal = {
  model: string;
  version: string;
  environment: string;
};

/** How long a recorded proposal keeps a version from being proposed again. */
const PROPOSAL_RECORD_SECONDS = 400 * 86_400;

/**
 * Runs on a node-cron tick on every worker: for each model and each
 * environment with `after` and `soak`, queues a proposal job for the
 * version live in the previous environment once it has soaked there.
 * Whether to propose is decided again in the job.
 */
export async function proposeSoakedVersions(services: Services): Promise<void> {
  for (const key of await services.registry.modelKeys()) {
    const entry = await services.registry.entry(key);
    if (!entry) continue;

    for (const [environment, policy] of Object.entries(entry.environments)) {
      if (!policy.after || !policy.soak) continue;
      const live = await services.store.live(entry.key, policy.after);
      if (!live) continue;

      const proposal = { model: entry.key, version: live.version, environment };
      if (!(await proposalReady(services, entry, proposal))) continue;
      await services.queues.add(
        soakProposalJob,
        proposal,
        `soak-proposal:${entry.key}:${live.version}:${environment}`,
      );
    }
  }
}

/**
 * Returns true when the version should be proposed now. It must be live in
 * the previous environment and have soaked there. It must not have
 * succeeded in the target or been proposed for it before. The target must
 * not be held after a rollback or have an open promotion of the model.
 */
export async function proposalReady(
  services: Services,
  entry: ModelEntry,
  proposal: SoakProposal,
  now = Date.now(),
): Promise<boolean> {
  const policy = entry.environments[proposal.environment];
  if (!policy?.after || !policy.soak) return false;

  const live = await services.store.live(entry.key, policy.after);
  if (live?.version !== proposal.version) return false;
  const succeededAt = await services.store.succeededAt(
    entry.key,
    policy.after,
    proposal.version,
  );
  const soakMs = parseDuration(policy.soak) ?? 0;
  if (!succeededAt || now - succeededAt.getTime() < soakMs) return false;

  const [alreadyThere, proposed, held] = await Promise.all([
    services.store.succeededAt(
      entry.key,
      proposal.environment,
      proposal.version,
    ),
    services.redis.exists(proposalKey(proposal)),
    isHeld(services, entry.key, proposal.environment),
  ]);
  if (alreadyThere || proposed === 1 || held) return false;

  const open = await services.store.listByStatus(entry.key, [
    "pending_approval",
    "approved",
    "deploying",
    "canary",
  ]);
  return !open.some(
    (promotion) =>
      promotion.environment === proposal.environment &&
      !isTerminal(promotion.status),
  );
}

/** Records that a version was proposed for an environment (or why not), so it is never proposed again. */
export async function recordProposal(
  services: Services,
  proposal: SoakProposal,
  outcome: string,
): Promise<void> {
  await services.redis.set(
    proposalKey(proposal),
    outcome,
    "EX",
    PROPOSAL_RECORD_SECONDS,
  );
}

function proposalKey(proposal: SoakProposal): string {
  return keys.once(
    "soak-proposal",
    `${proposal.model}:${proposal.environment}:${proposal.version}`,
  );
}
