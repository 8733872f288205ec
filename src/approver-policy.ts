import type { WebClient } from "@slack/web-api";
import type { Logger } from "./logger.js";

/** How long a user group's members are trusted before they are read again. */
const GROUP_CACHE_MS = 2 * 60_000;

/**
 * Decides who may approve. Approvers are Slack user IDs or user group IDs.
 * Group members are read with usergroups.users.list at click time and
 * cached for two minutes, so a removal from a group takes effect soon.
 */
export class ApproverPolicy {
  private readonly groups = new Map<
    string,
    { members: Set<string>; readAt: number }
  >();

  constructor(
    private readonly slack: WebClient,
    private readonly log: Logger,
  ) {}

  /** Returns true when the user is in the group, reading its members through Slack. */
  async inGroup(user: string, group: string): Promise<boolean> {
    return (await this.members(group)).has(user);
  }

  /** Returns true when the user is named, or is in a named group. An empty list allows anyone. */
  async allows(user: string, approvers: readonly string[]): Promise<boolean> {
    if (approvers.length === 0) return true;
    if (approvers.includes(user)) return true;

    for (const group of approvers.filter((approver) =>
      approver.startsWith("S"),
    )) {
      if ((await this.members(group)).has(user)) return true;
    }
    return false;
  }

  private async members(group: string): Promise<Set<string>> {
    const cached = this.groups.get(group);
    if (cached && Date.now() - cached.readAt < GROUP_CACHE_MS)
      return cached.members;

    let members: Set<string>;
    try {
      const reply = await this.slack.usergroups.users.list({
        usergroup: group,
      });
      members = new Set(reply.users ?? []);
    } catch (error) {
      // A group that Slack does not know (deleted, or a typo in the config)
      // admits nobody; the log line tells the admin which one.
      if (
        (error as { data?: { error?: string } }).data?.error !==
        "no_such_subteam"
      )
        throw error;
      this.log.warn(
        { usergroup: group },
        "approver user group not found in Slack; it admits nobody",
      );
      members = new Set();
    }
    this.groups.set(group, { members, readAt: Date.now() });
    return members;
  }
}

/** Formats approvers for a message: users as mentions, groups as group mentions. */
export function formatApprovers(approvers: readonly string[]): string {
  if (approvers.length === 0) return "anyone but the requester";
  return approvers
    .map((id) => (id.startsWith("S") ? `<!subteam^${id}>` : `<@${id}>`))
    .join(", ");
}

const policies = new WeakMap<WebClient, ApproverPolicy>();

/** Returns the process's policy for a Slack client, so every handler shares one group cache. */
export function approverPolicy(slack: WebClient, log: Logger): ApproverPolicy {
  let policy = policies.get(slack);
  if (!policy) {
    policy = new ApproverPolicy(slack, log);
    policies.set(slack, policy);
  }
  return policy;
}
