import nock from "nock";
import { readJsonFixture } from "../../scripts/fixtures.js";

export const GITHUB_API = "https://api.github.com";
export const HEAD_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";

/** Fakes the app's exchange of its JWT for an installation token. */
export function nockInstallationToken(installationId: number) {
  return nock(GITHUB_API)
    .post(`/app/installations/${installationId}/access_tokens`)
    .reply(201, {
      token: `ghs_test${installationId}installationtoken000000`,
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: { contents: "read", deployments: "write" },
      repository_selection: "all",
    });
}

/** Fakes reading a file's raw contents, the way Probot's config loader requests it. */
export function nockGetContent(repo: string, path: string, text: string) {
  return nock(GITHUB_API)
    .get(`/repos/${repo}/contents/${encodeURIComponent(path)}`)
    .reply(200, text, { "content-type": "text/plain; charset=utf-8" });
}

/** A deployment as GitHub's REST API returns it, built from the published webhook example. */
export function githubDeployment(params: {
  id: number;
  environment: string;
  payload: Record<string, unknown>;
  sha?: string;
}) {
  const { deployment } = readJsonFixture<{
    deployment: Record<string, unknown>;
  }>("github/deployment.created.json");
  return {
    ...deployment,
    id: params.id,
    sha: params.sha ?? HEAD_SHA,
    ref: params.sha ?? HEAD_SHA,
    environment: params.environment,
    payload: params.payload,
  };
}

/** Fakes GET /repos/{repo}/deployments for one environment. */
export function nockListDeployments(
  repo: string,
  environment: string,
  deployments: unknown[],
) {
  return nock(GITHUB_API)
    .get(`/repos/${repo}/deployments`)
    .query({ environment, per_page: "100" })
    .reply(200, deployments);
}

/** Fakes GET /repos/{repo}, with the published example's repository. */
export function nockGetRepository(repo: string) {
  const { repository } = readJsonFixture<{
    repository: Record<string, unknown>;
  }>("github/deployment_status.created.success.json");
  return nock(GITHUB_API)
    .get(`/repos/${repo}`)
    .reply(200, { ...repository, full_name: repo });
}

/** Fakes GET /repos/{repo}/branches/{branch} with the branch head at `sha`. */
export function nockGetBranch(repo: string, branch: string, sha = HEAD_SHA) {
  return nock(GITHUB_API)
    .get(`/repos/${repo}/branches/${branch}`)
    .reply(200, {
      name: branch,
      commit: {
        sha,
        node_id: "C_kwDOCyMKGNoAKGY5NWY4NTJiZDhmY2E4ZmNjNThhOWEyZDZj",
        url: `${GITHUB_API}/repos/${repo}/commits/${sha}`,
        commit: { message: "Train churn on May data" },
      },
      _links: {
        self: `${GITHUB_API}/repos/${repo}/branches/${branch}`,
        html: `https://github.com/${repo}/tree/${branch}`,
      },
      protected: false,
    });
}

/** Fakes POST /repos/{repo}/deployments and keeps each request body. */
export function nockCreateDeployment(
  repo: string,
  deploymentId: number,
  bodies: unknown[],
) {
  return nock(GITHUB_API)
    .post(`/repos/${repo}/deployments`, (body: Record<string, unknown>) => {
      bodies.push(body);
      return true;
    })
    .reply(201, (_uri, body) => {
      const request = body as {
        environment: string;
        ref: string;
        payload: Record<string, unknown>;
      };
      return githubDeployment({
        id: deploymentId,
        environment: request.environment,
        payload: request.payload,
        sha: request.ref,
      });
    });
}
