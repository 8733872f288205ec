import type { JobDefinition } from "../src/queues.js";
import { rollbackIncident } from "../templates/rollback-incident.js";
import { slackCardJob } from "./slack-card.js";

export type RollbackTicketData = {
  /** The promotion that was rolled back, or that failed with nothing to roll back to. */
  promotionId: string;
};

/**
 * Opens the Jira incident ticket of an automatic rollback, when Jira is
 * configured (JIRA_* settings and a `jira` section in .github/gantry.yml).
 * The ticket carries a label with the promotion id, so a retry finds it
 * instead of opening a second one.
 */
export const rollbackTicketJob: JobDefinition<RollbackTicketData> = {
  queue: "{rollback-tickets}",
  options: {},

  async process(data, services) {
    const promotion = await services.store.get(data.promotionId);
    if (!promotion) return;
    const entry = await services.registry.entry(promotion.model);
    if (!services.jira || !entry?.jira) {
      services.log.info(
        { promotionId: promotion.id, jiraConfigured: Boolean(services.jira) },
        "no rollback incident opened: Jira needs JIRA_* settings and a jira section in .github/gantry.yml",
      );
      return;
    }

    const label = `gantry-rollback-${promotion.id}`;
    const existing = await services.jira.findLatestIssueByLabel(
      entry.jira.project,
      label,
    );
    if (existing) return;

    const rollback = promotion.rolledBackBy
      ? await services.store.get(promotion.rolledBackBy)
      : undefined;
    const { key } = await services.jira.createIssue({
      project: entry.jira.project,
      issueType: entry.jira.critical_type,
      priority: entry.jira.critical_priority,
      labels: ["gantry", "gantry-rollback", label],
      ...rollbackIncident({ promotion, rollback }),
    });
    services.log.info(
      { promotionId: promotion.id, jiraKey: key },
      "rollback incident opened",
    );
    await services.queues.add(
      slackCardJob,
      {
        promotionId: promotion.id,
        note: {
          kind: "incident_opened",
          key,
          url: services.jira.browseUrl(key),
        },
      },
      `card:${promotion.id}:incident`,
    );
  },
};
