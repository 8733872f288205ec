import type { JiraIssue } from "../clients/jira.js";

export type TicketAction =
  | { action: "create" }
  | { action: "comment"; key: string }
  | { action: "reopen"; key: string };

/**
 * Decides what a new firing does to its fingerprint's ticket: an open
 * ticket gets a comment, one closed within the reopen window is reopened,
 * and otherwise (none, or closed long ago) a new ticket is opened.
 */
export function decideTicketAction(params: {
  existing: JiraIssue | undefined;
  reopenWindowMs: number;
  now: number;
}): TicketAction {
  const { existing } = params;
  if (!existing) return { action: "create" };
  if (existing.statusCategory !== "done")
    return { action: "comment", key: existing.key };

  const closedAt = existing.closedAt ? Date.parse(existing.closedAt) : NaN;
  if (!Number.isNaN(closedAt) && params.now - closedAt <= params.reopenWindowMs)
    return { action: "reopen", key: existing.key };
  return { action: "create" };
}
