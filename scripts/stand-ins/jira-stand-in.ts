import {
  StandInServer,
  type RecordedRequest,
  type Reply,
} from "./stand-in-server.js";

/** An issue as the stand-in keeps it. */
export type StandInIssue = {
  key: string;
  fields: {
    project: { key: string };
    issuetype: { name: string };
    summary: string;
    description: string;
    labels: string[];
    priority?: { name: string };
  };
  status: "To Do" | "In Progress" | "Done";
  resolutiondate: string | null;
  comments: string[];
};

const STATUS_CATEGORY = {
  "To Do": { key: "new", name: "To Do" },
  "In Progress": { key: "indeterminate", name: "In Progress" },
  Done: { key: "done", name: "Done" },
} as const;

const TRANSITIONS = [
  { id: "11", name: "To Do", to: "To Do" },
  { id: "21", name: "In Progress", to: "In Progress" },
  { id: "31", name: "Done", to: "Done" },
] as const;

/**
 * Plays the parts of Jira's REST API version 2 that Gantry calls: create,
 * read and search issues (search understands `project = "X" AND labels =
 * "y"`), comments and transitions. Every call must carry basic auth with
 * the stand-in's email and API token.
 */
export class JiraStandIn extends StandInServer {
  readonly issues: StandInIssue[] = [];
  /** Field ids that creating an issue requires, to play a project with a mandatory custom field. */
  readonly requiredFields = new Set<string>();

  constructor(
    readonly email = "gantry@example.com",
    readonly apiToken = "standin-jira-api-token-0001",
  ) {
    super("Jira", [
      {
        name: "create issue",
        method: "POST",
        pattern: /^\/rest\/api\/2\/issue$/,
        handle: (request) =>
          this.authorized(request, () => this.create(request.body)),
      },
      {
        name: "search",
        method: "POST",
        pattern: /^\/rest\/api\/2\/search$/,
        handle: (request) =>
          this.authorized(request, () => this.search(request.body)),
      },
      {
        name: "get issue",
        method: "GET",
        pattern: /^\/rest\/api\/2\/issue\/([A-Z0-9_]+-\d+)$/,
        handle: (request, match) =>
          this.authorized(request, () =>
            this.withIssue(match[1], (issue) => ({
              status: 200,
              body: this.render(issue),
            })),
          ),
      },
      {
        name: "add comment",
        method: "POST",
        pattern: /^\/rest\/api\/2\/issue\/([A-Z0-9_]+-\d+)\/comment$/,
        handle: (request, match) =>
          this.authorized(request, () =>
            this.withIssue(match[1], (issue) =>
              this.comment(issue, request.body),
            ),
          ),
      },
      {
        name: "list transitions",
        method: "GET",
        pattern: /^\/rest\/api\/2\/issue\/([A-Z0-9_]+-\d+)\/transitions$/,
        handle: (request, match) =>
          this.authorized(request, () =>
            this.withIssue(match[1], () => ({
              status: 200,
              body: { transitions: TRANSITIONS.map(renderTransition) },
            })),
          ),
      },
      {
        name: "transition issue",
        method: "POST",
        pattern: /^\/rest\/api\/2\/issue\/([A-Z0-9_]+-\d+)\/transitions$/,
        handle: (request, match) =>
          this.authorized(request, () =>
            this.withIssue(match[1], (issue) =>
              this.transition(issue, request.body),
            ),
          ),
      },
    ]);
  }

  /** The Authorization header that Gantry must send. */
  basicAuth(): string {
    return `Basic ${Buffer.from(`${this.email}:${this.apiToken}`).toString("base64")}`;
  }

  /** Moves an issue to a status, as a person in Jira would. */
  setStatus(issue: StandInIssue, status: StandInIssue["status"]): void {
    issue.status = status;
    issue.resolutiondate = status === "Done" ? new Date().toISOString() : null;
  }

  issuesWithLabel(label: string): StandInIssue[] {
    return this.issues.filter((issue) => issue.fields.labels.includes(label));
  }

  private authorized(request: RecordedRequest, handle: () => Reply): Reply {
    if (request.headers.authorization === this.basicAuth()) return handle();
    return { status: 401, body: { errorMessages: ["Unauthorized"] } };
  }

  private comment(issue: StandInIssue, body: unknown): Reply {
    const text = (body as { body?: unknown }).body;
    issue.comments.push(typeof text === "string" ? text : "");
    return {
      status: 201,
      body: { id: String(issue.comments.length), body: text },
    };
  }

  private transition(issue: StandInIssue, body: unknown): Reply {
    const id = (body as { transition?: { id?: string } }).transition?.id;
    const transition = TRANSITIONS.find((candidate) => candidate.id === id);
    if (!transition)
      return {
        status: 400,
        body: { errorMessages: [`no transition ${id}`], errors: {} },
      };
    this.setStatus(issue, transition.to);
    return { status: 204 };
  }

  private create(body: unknown): Reply {
    const fields = (body as { fields?: Record<string, unknown> }).fields ?? {};
    const errors: Record<string, string> = {};
    for (const name of ["project", "issuetype", "summary"])
      if (!fields[name]) errors[name] = `${name} is required.`;
    for (const name of this.requiredFields)
      if (!fields[name]) errors[name] = `${name} is required.`;
    if (Object.keys(errors).length > 0)
      return { status: 400, body: { errorMessages: [], errors } };

    const project = (fields.project as { key: string }).key;
    const issue: StandInIssue = {
      key: `${project}-${this.issues.length + 1}`,
      fields: fields as StandInIssue["fields"],
      status: "To Do",
      resolutiondate: null,
      comments: [],
    };
    this.issues.push(issue);
    return {
      status: 201,
      body: {
        id: String(10_000 + this.issues.length),
        key: issue.key,
        self: `${this.url}/rest/api/2/issue/${issue.key}`,
      },
    };
  }

  private search(body: unknown): Reply {
    const jqlField = (body as { jql?: unknown }).jql;
    const jql = typeof jqlField === "string" ? jqlField : "";
    const project = /project = "([^"]+)"/.exec(jql)?.[1];
    const label = /labels = "([^"]+)"/.exec(jql)?.[1];
    const found = this.issues
      .filter(
        (issue) =>
          (!project || issue.fields.project.key === project) &&
          (!label || issue.fields.labels.includes(label)),
      )
      .reverse();
    return {
      status: 200,
      body: {
        startAt: 0,
        total: found.length,
        issues: found.map((issue) => this.render(issue)),
      },
    };
  }

  private withIssue(
    key: string | undefined,
    handle: (issue: StandInIssue) => Reply,
  ): Reply {
    const issue = this.issues.find((candidate) => candidate.key === key);
    if (!issue)
      return {
        status: 404,
        body: {
          errorMessages: [
            "Issue does not exist or you do not have permission to see it.",
          ],
          errors: {},
        },
      };
    return handle(issue);
  }

  private render(issue: StandInIssue) {
    return {
      key: issue.key,
      fields: {
        ...issue.fields,
        status: {
          name: issue.status,
          statusCategory: STATUS_CATEGORY[issue.status],
        },
        resolutiondate: issue.resolutiondate,
      },
    };
  }
}

function renderTransition(transition: (typeof TRANSITIONS)[number]) {
  return {
    id: transition.id,
    name: transition.name,
    to: { name: transition.to, statusCategory: STATUS_CATEGORY[transition.to] },
  };
}
