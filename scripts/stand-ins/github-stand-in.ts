import { StandInActions } from "./github-actions.js";
import { StandInServer, type RecordedRequest } from "./stand-in-server.js";

export type GitHubRepository = {
  owner: string;
  name: string;
  defaultBranch: string;
  headSha: string;
  /** Files served by the contents API, keyed by path. */
  files: Record<string, string>;
};

export type StoredDeployment = {
  id: number;
  sha: string;
  ref: string;
  environment: string;
  payload: Record<string, unknown>;
  description: string | null;
  repository: string;
};

const API = "/api/v3";

/**
 * Plays GitHub's REST API for one app installation, as served under
 * `GHE_HOST/api/v3`: app and installation auth, repository contents,
 * branches, deployments, workflow dispatches and runs, and pull request files.
 */
export class GitHubStandIn extends StandInServer {
  readonly deployments: StoredDeployment[] = [];
  /** Workflow dispatches, their workflow runs, and pull request files. */
  readonly actions: StandInActions;
  private nextDeploymentId = 145_988_746;

  constructor(
    readonly installationId: number,
    readonly repositories: GitHubRepository[],
  ) {
    const repo = (match: RegExpExecArray) =>
      this.repository(match[1] ?? "", match[2] ?? "");
    const actions = new StandInActions(() => this.url);
    super("GitHub", [
      ...actions.routes(),
      {
        name: "apps.listInstallations",
        method: "GET",
        pattern: new RegExp(`^${API}/app/installations$`),
        handle: () => ({
          status: 200,
          body: [
            {
              id: installationId,
              account: {
                login: repositories[0]?.owner ?? "example-org",
                type: "Organization",
              },
              app_id: 1,
            },
          ],
        }),
      },
      {
        name: "apps.createInstallationAccessToken",
        method: "POST",
        pattern: new RegExp(`^${API}/app/installations/(\\d+)/access_tokens$`),
        handle: () => ({
          status: 201,
          body: {
            token: "ghs_standinInstallationToken000000000000",
            expires_at: new Date(Date.now() + 3_600_000).toISOString(),
            permissions: {
              deployments: "write",
              contents: "read",
              metadata: "read",
            },
            repository_selection: "selected",
          },
        }),
      },
      {
        name: "apps.listReposAccessibleToInstallation",
        method: "GET",
        pattern: new RegExp(`^${API}/installation/repositories$`),
        handle: () => ({
          status: 200,
          body: {
            total_count: repositories.length,
            repositories: repositories.map((repository, index) =>
              repositoryJson(repository, index),
            ),
          },
        }),
      },
      {
        name: "repos.getContent",
        method: "GET",
        pattern: new RegExp(`^${API}/repos/([^/]+)/([^/]+)/contents/(.+)$`),
        handle: (request, match) => {
          const file = repo(match)?.files[decodeURIComponent(match[3] ?? "")];
          if (file === undefined)
            return { status: 404, body: { message: "Not Found" } };
          if (String(request.headers.accept).includes("raw"))
            return { status: 200, raw: file };
          return {
            status: 200,
            body: {
              type: "file",
              encoding: "base64",
              content: Buffer.from(file).toString("base64"),
            },
          };
        },
      },
      {
        name: "repos.get",
        method: "GET",
        pattern: new RegExp(`^${API}/repos/([^/]+)/([^/]+)$`),
        handle: (_request, match) => {
          const found = repo(match);
          return found
            ? { status: 200, body: repositoryJson(found, 0) }
            : { status: 404, body: { message: "Not Found" } };
        },
      },
      {
        name: "repos.getBranch",
        method: "GET",
        pattern: new RegExp(`^${API}/repos/([^/]+)/([^/]+)/branches/([^/]+)$`),
        handle: (_request, match) => {
          const found = repo(match);
          if (
            !found ||
            found.defaultBranch !== decodeURIComponent(match[3] ?? "")
          )
            return { status: 404, body: { message: "Branch not found" } };
          return {
            status: 200,
            body: {
              name: found.defaultBranch,
              commit: { sha: found.headSha },
              protected: false,
            },
          };
        },
      },
      {
        name: "repos.listDeployments",
        method: "GET",
        pattern: new RegExp(`^${API}/repos/([^/]+)/([^/]+)/deployments$`),
        handle: (request, match) => {
          const fullName = `${match[1]}/${match[2]}`;
          const environment = request.query.get("environment");
          const list = this.deployments
            .filter(
              (deployment) =>
                deployment.repository === fullName &&
                (!environment || deployment.environment === environment),
            )
            .reverse();
          return {
            status: 200,
            body: list.map((deployment) => deploymentJson(deployment)),
          };
        },
      },
      {
        name: "repos.createDeployment",
        method: "POST",
        pattern: new RegExp(`^${API}/repos/([^/]+)/([^/]+)/deployments$`),
        handle: (request, match) =>
          this.createDeployment(request, `${match[1]}/${match[2]}`),
      },
    ]);
    this.actions = actions;
  }

  private repository(
    owner: string,
    name: string,
  ): GitHubRepository | undefined {
    return this.repositories.find(
      (repository) => repository.owner === owner && repository.name === name,
    );
  }

  private createDeployment(request: RecordedRequest, repository: string) {
    const body = request.body as {
      ref: string;
      environment?: string;
      payload?: Record<string, unknown>;
      description?: string;
    };
    const deployment: StoredDeployment = {
      id: this.nextDeploymentId++,
      sha: body.ref,
      ref: body.ref,
      environment: body.environment ?? "production",
      payload: body.payload ?? {},
      description: body.description ?? null,
      repository,
    };
    this.deployments.push(deployment);
    return { status: 201, body: deploymentJson(deployment) };
  }
}

function repositoryJson(repository: GitHubRepository, index: number) {
  return {
    id: 1_296_269 + index,
    name: repository.name,
    full_name: `${repository.owner}/${repository.name}`,
    owner: { login: repository.owner, id: 1, type: "Organization" },
    private: false,
    default_branch: repository.defaultBranch,
  };
}

function deploymentJson(deployment: StoredDeployment) {
  return {
    url: `https://api.github.com/repos/${deployment.repository}/deployments/${deployment.id}`,
    id: deployment.id,
    sha: deployment.sha,
    ref: deployment.ref,
    task: "deploy",
    payload: deployment.payload,
    environment: deployment.environment,
    original_environment: deployment.environment,
    description: deployment.description,
    created_at: new Date().toISOString(),
    updated_at: new Date().toISOString(),
  };
}
