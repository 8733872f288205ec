import JiraApi from "jira-client";
import { z } from "zod";
import { GantryError } from "../errors.js";
import { secretScrubber } from "../logger.js";
import { JiraRequestError } from "./jira-errors.js";
import { jiraTransport, readJiraFailure } from "./jira-transport.js";

/** A Jira issue's key and its workflow status. */
export type JiraIssue = {
  key: string;
  status: string;
  /** Jira's status category: `new`, `indeterminate` or `done`. */
  statusCategory: string;
  /** When the issue was resolved, or last moved to a done status; undefined while open. */
  closedAt: string | undefined;
};

export type NewJiraIssue = {
  project: string;
  issueType: string;
  summary: string;
  /** Jira wiki markup, as the REST API version 2 takes it. */
  description: string;
  labels: string[];
  priority?: string;
};

export type JiraClientOptions = {
  baseUrl: string;
  email: string;
  apiToken: string;
  /** Values scrubbed from every summary, description and comment before it is sent. */
  secrets?: readonly string[];
  timeoutMs?: number;
};

const ISSUE_FIELDS = [
  "status",
  "resolutiondate",
  "statuscategorychangedate",
  "updated",
];

const issueSchema = z.object({
  key: z.string(),
  fields: z.object({
    status: z.object({
      name: z.string(),
      statusCategory: z.object({ key: z.string() }).optional(),
    }),
    resolutiondate: z.string().nullish(),
    statuscategorychangedate: z.string().nullish(),
    updated: z.string().nullish(),
  }),
});
const searchSchema = z.object({ issues: z.array(issueSchema) });
const createdSchema = z.object({ key: z.string() });
const transitionsSchema = z.object({
  transitions: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      to: z.object({
        statusCategory: z.object({ key: z.string() }).optional(),
      }),
    }),
  ),
});

/**
 * Jira through jira-client (REST API version 2) with basic auth. Failures
 * become JiraRequestError: 429 and 5xx are retryable with Jira's
 * Retry-After, other 4xx are not.
 */
export class JiraClient {
  readonly baseUrl: string;
  private readonly api: JiraApi;
  private readonly scrub: (value: unknown) => unknown;

  constructor(options: JiraClientOptions) {
    const url = new URL(options.baseUrl);
    this.baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
    this.scrub = secretScrubber(options.secrets ?? []);
    this.api = new JiraApi({
      protocol: url.protocol.replace(":", ""),
      host: url.hostname,
      port: url.port || undefined,
      base: url.pathname.replace(/\/+$/, ""),
      username: options.email,
      password: options.apiToken,
      apiVersion: "2",
      strictSSL: true,
      request: jiraTransport(options.timeoutMs ?? 10_000),
    });
  }

  /** Returns the URL of the issue's page in Jira's web interface. */
  browseUrl(key: string): string {
    return `${this.baseUrl}/browse/${key}`;
  }

  async createIssue(issue: NewJiraIssue): Promise<{ key: string }> {
    const fields = this.scrub({
      project: { key: issue.project },
      issuetype: { name: issue.issueType },
      summary: issue.summary,
      description: issue.description,
      labels: issue.labels,
      ...(issue.priority ? { priority: { name: issue.priority } } : {}),
    }) as JiraApi.IssueObject;

    const created = await this.call(
      `create ${issue.issueType} in ${issue.project}`,
      () => this.api.addNewIssue({ fields }),
    );
    return parse(createdSchema, created, "create issue");
  }

  async addComment(key: string, text: string): Promise<void> {
    await this.call(`comment on ${key}`, () =>
      this.api.addComment(key, this.scrub(text) as string),
    );
  }

  /** Returns the issue, or undefined when Jira has no issue with that key. */
  async getIssue(key: string): Promise<JiraIssue | undefined> {
    try {
      const issue = await this.call(`read ${key}`, () =>
        this.api.findIssue(key, "", ISSUE_FIELDS.join(","), ""),
      );
      return toIssue(parse(issueSchema, issue, `read ${key}`));
    } catch (error) {
      if (error instanceof JiraRequestError && error.status === 404)
        return undefined;
      throw error;
    }
  }

  /**
   * Returns the newest issue in the project with the label, open or closed.
   * Jira's search index can lag a few seconds behind a new issue.
   */
  async findLatestIssueByLabel(
    project: string,
    label: string,
  ): Promise<JiraIssue | undefined> {
    const jql = `project = "${project}" AND labels = "${label}" ORDER BY created DESC`;
    const found = await this.call(`search ${project} for label ${label}`, () =>
      this.api.searchJira(jql, { maxResults: 1, fields: ISSUE_FIELDS }),
    );
    const [issue] = parse(searchSchema, found, "search").issues;
    return issue ? toIssue(issue) : undefined;
  }

  /** Returns the newest open issue in the project with the label. */
  async findOpenIssueByLabel(
    project: string,
    label: string,
  ): Promise<JiraIssue | undefined> {
    const issue = await this.findLatestIssueByLabel(project, label);
    return issue && issue.statusCategory !== "done" ? issue : undefined;
  }

  /**
   * Moves a closed issue back to an open status, preferring a transition
   * named like "Reopen". Returns false when the workflow offers none.
   */
  async reopen(key: string): Promise<boolean> {
    const listed = await this.call(`list transitions of ${key}`, () =>
      this.api.listTransitions(key),
    );
    const open = parse(
      transitionsSchema,
      listed,
      "transitions",
    ).transitions.filter(
      (transition) => transition.to.statusCategory?.key !== "done",
    );
    const chosen =
      open.find((transition) => /re-?open/i.test(transition.name)) ?? open[0];
    if (!chosen) return false;

    await this.call(`reopen ${key}`, () =>
      this.api.transitionIssue(key, { transition: { id: chosen.id } }),
    );
    return true;
  }

  private async call(
    operation: string,
    run: () => Promise<unknown>,
  ): Promise<unknown> {
    try {
      return await run();
    } catch (error) {
      const failure = readJiraFailure(error);
      if (failure) throw new JiraRequestError(operation, failure);
      throw new GantryError(
        "upstream_unavailable",
        `Jira ${operation} failed; it will be retried`,
        { cause: error },
      );
    }
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new GantryError(
    "upstream_rejected",
    `Jira's answer to ${what} has an unexpected shape: ${result.error.issues[0]?.message ?? "invalid"}`,
    { retryable: true },
  );
}

function toIssue(issue: z.infer<typeof issueSchema>): JiraIssue {
  const category = issue.fields.status.statusCategory?.key ?? "new";
  const closedAt =
    category === "done"
      ? (issue.fields.resolutiondate ??
        issue.fields.statuscategorychangedate ??
        issue.fields.updated ??
        undefined)
      : undefined;
  return {
    key: issue.key,
    status: issue.fields.status.name,
    statusCategory: category,
    closedAt,
  };
}
