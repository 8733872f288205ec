import { openPromotion } from "../src/promotions/open-promotion.js";
import {
  proposalReady,
  recordProposal,
  type SoakProposal,
} from "../src/promotions/soak-proposal.js";
import type { JobDefinition } from "../src/queues.js";

export type SoakProposalData = SoakProposal;

/** Blockers that may clear on their own, so the proposal is tried again on a later tick. */
const PASSING_BLOCKERS = new Set(["frozen", "locked", "soaking"]);

/**
 * Proposes the next environment for a version that soaked in the previous
 * one by opening a promotion requested by "gantry", whose card goes to the
 * environment's approvers. Each proposal is recorded, so a version is never
 * proposed twice for one environment. A proposal blocked by a freeze or a
 * lock is tried again on a later tick. The job id comes from model, version
 * and environment, and completed jobs are removed, so the ticks of all
 * replicas queue one job at a time.
 */
export const soakProposalJob: JobDefinition<SoakProposalData> = {
  queue: "{soak-proposals}",
  options: { removeOnComplete: true },

  async process(data, services) {
    const entry = await services.registry.entry(data.model);
    if (!entry || !(await proposalReady(services, entry, data))) return;

    const opened = await openPromotion(services, {
      entry,
      version: data.version,
      environment: data.environment,
      requestedBy: "gantry",
      fallbackChannel: entry.channel ?? entry.alertsChannel ?? "",
      requestKey: `soak:${data.model}:${data.version}:${data.environment}`,
    });
    const log = services.log.child({ ...data });

    if (opened.outcome === "blocked") {
      const codes = opened.blockers.map((blocker) => blocker.code);
      log.info({ blockers: codes }, "soak proposal blocked");
      if (codes.every((code) => PASSING_BLOCKERS.has(code))) return;
    }
    await recordProposal(services, data, opened.outcome);
    if (opened.outcome === "opened") {
      log.info(
        { promotionId: opened.promotion.id },
        "next environment proposed after the soak",
      );
    }
  },
};
