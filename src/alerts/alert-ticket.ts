import type { JiraClient } from "../clients/jira.js";
import type { ModelEntry } from "../config/config-registry.js";
import { parseDuration } from "../config/duration.js";
import type { Logger } from "../logger.js";
import type { Redis } from "../redis.js";
import { alertTicket } from "../../templates/jira-alert-ticket.js";
import { alertComment } from "../../templates/jira-alert-comment.js";
import type { AlertSubject } from "../../templates/alert-names.js";
import { readAlertState, updateAlertState } from "./alert-state.js";
import { decideTicketAction } from "./ticket-decision.js";

const DEFAULT_REOPEN_WINDOW = "7d";

export type TicketOutcome = {
  key: string;
  action: "created" | "commented" | "reopened" | "already_handled";
};

export type TicketParams = {
  redis: Redis;
  jira: JiraClient;
  log: Logger;
  subject: AlertSubject;
  /** The model's Jira settings; the caller checks that they exist. */
  jiraConfig: NonNullable<ModelEntry["jira"]>;
  reopenWindow: string | undefined;
  now?: () => number;
};

/** Returns the Jira label that ties a ticket to its alert fingerprint. */
export function fingerprintLabel(fingerprint: string): string {
  return `gantry-alert-${fingerprint}`;
}

/**
 * Opens, comments on or reopens the ticket of a firing alert. The caller
 * holds the fingerprint's lock, so concurrent jobs and replicas make one
 * ticket.
 *
 * Steps:
 * 1. skip a firing that already acted on the ticket,
 * 2. find the fingerprint's ticket in Redis, or else by its Jira label
 *    (Redis comes first because Jira's search lags behind a new issue),
 * 3. decide between create, comment and reopen, and act,
 * 4. record the firing.
 */
export async function ticketForFiring(
  params: TicketParams,
): Promise<TicketOutcome> {
  const { redis, subject } = params;
  const { fingerprint, startsAt } = subject.alert;

  const state = await readAlertState(redis, fingerprint);
  if (state.ticket && state.ticketFiring === startsAt)
    return { key: state.ticket, action: "already_handled" };

  const outcome = await actOnTicket(params, state.ticket);
  await updateAlertState(redis, fingerprint, {
    ticket: outcome.key,
    ticketFiring: startsAt,
  });
  params.log.info(
    { jiraKey: outcome.key, action: outcome.action, fingerprint },
    "alert ticket updated",
  );
  return outcome;
}

async function actOnTicket(
  params: TicketParams,
  knownKey: string | undefined,
): Promise<TicketOutcome> {
  const { jira, subject, jiraConfig } = params;
  const reopenWindowMs =
    parseDuration(params.reopenWindow ?? DEFAULT_REOPEN_WINDOW) ?? 0;

  const existing = knownKey
    ? await jira.getIssue(knownKey)
    : await jira.findLatestIssueByLabel(
        jiraConfig.project,
        fingerprintLabel(subject.alert.fingerprint),
      );
  const decision = decideTicketAction({
    existing,
    reopenWindowMs,
    now: (params.now ?? Date.now)(),
  });

  switch (decision.action) {
    case "create":
      return { key: await createTicket(params), action: "created" };
    case "comment":
      await jira.addComment(
        decision.key,
        alertComment(subject.alert, { kind: "fired_again" }),
      );
      return { key: decision.key, action: "commented" };
    case "reopen":
      return reopenTicket(params, decision.key, reopenWindowMs);
  }
}

async function createTicket(params: TicketParams): Promise<string> {
  const { subject, jiraConfig } = params;
  const critical = subject.alertClass === "critical";
  const { summary, description } = alertTicket(subject);

  const created = await params.jira.createIssue({
    project: jiraConfig.project,
    issueType: critical ? jiraConfig.critical_type : jiraConfig.drift_type,
    summary,
    description,
    labels: [
      "gantry",
      `gantry-${subject.alertClass}`,
      fingerprintLabel(subject.alert.fingerprint),
    ],
    priority: critical ? jiraConfig.critical_priority : undefined,
  });
  return created.key;
}

async function reopenTicket(
  params: TicketParams,
  key: string,
  reopenWindowMs: number,
): Promise<TicketOutcome> {
  const { jira, subject } = params;
  const reopened = await jira.reopen(key);
  await jira.addComment(
    key,
    alertComment(subject.alert, {
      kind: reopened ? "reopened" : "closed_recently",
      reopenWindowMs,
    }),
  );
  return { key, action: reopened ? "reopened" : "commented" };
}
