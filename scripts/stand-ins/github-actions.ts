import type { RecordedRequest, Reply, Route } from "./stand-in-server.js";

/** A workflow run that a workflow_dispatch started on the stand-in. */
export type StandInWorkflowRun = {
  id: number;
  repository: string;
  /** The workflow as the dispatch named it: a file name or an id. */
  workflow: string;
  path: string;
  event: "workflow_dispatch";
  headBranch: string;
  inputs: Record<string, string>;
  createdAt: string;
  htmlUrl: string;
};

/** A file of a pull request, as the pull request files API lists it. */
export type StandInPullFile = { filename: string; previous_filename?: string };

const API = "/api/v3";

/**
 * Plays GitHub Actions' workflow_dispatch and workflow run listing, and the
 * pull request files API with Link-header pagination, for the GitHub
 * stand-in. Each dispatch creates one workflow run at once.
 */
export class StandInActions {
  readonly workflowRuns: StandInWorkflowRun[] = [];
  /** Changed files of pull requests, keyed by "owner/repo#number". */
  readonly pullFiles = new Map<string, StandInPullFile[]>();
  private nextRunId = 30_433_642;

  constructor(private readonly baseUrl: () => string) {}

  routes(): Route[] {
    return [
      {
        name: "actions.createWorkflowDispatch",
        method: "POST",
        pattern: new RegExp(
          `^${API}/repos/([^/]+)/([^/]+)/actions/workflows/([^/]+)/dispatches$`,
        ),
        handle: (request, match) => this.dispatch(request, match),
      },
      {
        name: "actions.listWorkflowRuns",
        method: "GET",
        pattern: new RegExp(
          `^${API}/repos/([^/]+)/([^/]+)/actions/workflows/([^/]+)/runs$`,
        ),
        handle: (request, match) => this.listRuns(request, match),
      },
      {
        name: "pulls.listFiles",
        method: "GET",
        pattern: new RegExp(
          `^${API}/repos/([^/]+)/([^/]+)/pulls/(\\d+)/files$`,
        ),
        handle: (request, match) => this.listFiles(request, match),
      },
    ];
  }

  private dispatch(request: RecordedRequest, match: RegExpExecArray): Reply {
    const body = request.body as {
      ref?: string;
      inputs?: Record<string, string>;
    };
    if (!body.ref)
      return { status: 422, body: { message: "Required input 'ref' missing" } };

    const repository = `${match[1]}/${match[2]}`;
    const workflow = decodeURIComponent(match[3] ?? "");
    const id = this.nextRunId++;
    this.workflowRuns.push({
      id,
      repository,
      workflow,
      path: `.github/workflows/${workflow}`,
      event: "workflow_dispatch",
      headBranch: body.ref,
      inputs: body.inputs ?? {},
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      htmlUrl: `https://github.com/${repository}/actions/runs/${id}`,
    });
    return { status: 204 };
  }

  private listRuns(request: RecordedRequest, match: RegExpExecArray): Reply {
    const repository = `${match[1]}/${match[2]}`;
    const workflow = decodeURIComponent(match[3] ?? "");
    const event = request.query.get("event");
    const branch = request.query.get("branch");
    const createdSince = /^>=(.+)$/.exec(request.query.get("created") ?? "");

    const runs = this.workflowRuns
      .filter(
        (run) =>
          run.repository === repository &&
          run.workflow === workflow &&
          (!event || run.event === event) &&
          (!branch || run.headBranch === branch) &&
          (!createdSince?.[1] ||
            Date.parse(run.createdAt) >= Date.parse(createdSince[1])),
      )
      .reverse();
    return {
      status: 200,
      body: {
        total_count: runs.length,
        workflow_runs: runs.map((run) => ({
          id: run.id,
          name: run.workflow,
          path: run.path,
          event: run.event,
          head_branch: run.headBranch,
          status: "queued",
          conclusion: null,
          created_at: run.createdAt,
          html_url: run.htmlUrl,
        })),
      },
    };
  }

  private listFiles(request: RecordedRequest, match: RegExpExecArray): Reply {
    const files = this.pullFiles.get(`${match[1]}/${match[2]}#${match[3]}`);
    if (!files) return { status: 404, body: { message: "Not Found" } };

    const perPage = Number(request.query.get("per_page") ?? "30");
    const page = Number(request.query.get("page") ?? "1");
    const slice = files.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (page * perPage < files.length) {
      const next = new URL(`${this.baseUrl()}${request.path}`);
      next.searchParams.set("per_page", String(perPage));
      next.searchParams.set("page", String(page + 1));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    return {
      status: 200,
      headers,
      body: slice.map((file) => ({
        sha: "bbcd538c8e72b8c175046e27cc8f907076331401",
        filename: file.filename,
        status: file.previous_filename ? "renamed" : "modified",
        additions: 1,
        deletions: 1,
        changes: 2,
        ...(file.previous_filename
          ? { previous_filename: file.previous_filename }
          : {}),
      })),
    };
  }
}
