import type { ProbotOctokit } from "probot";
import type { Promotion } from "../promotion.js";

/** The payload a deploy workflow reads from the deployment event; a public contract. */
export type DeploymentPayload = {
  model: string;
  version: string;
  traffic_percent: number;
  promotion_id: string;
  rollback: boolean;
};

export type CreatedDeployment = { id: number; sha: string; ref: string };

/** Returns the payload of a promotion's deployment at a traffic share. */
export function deploymentPayload(
  promotion: Promotion,
  trafficPercent: number,
): DeploymentPayload {
  return {
    model: promotion.modelName,
    version: promotion.version,
    traffic_percent: trafficPercent,
    promotion_id: promotion.id,
    rollback: promotion.kind === "rollback",
  };
}

function splitRepo(promotion: Promotion): { owner: string; repo: string } {
  const [owner = "", repo = ""] = promotion.repo.split("/");
  return { owner, repo };
}

/**
 * Finds a deployment that an earlier try created, by the promotion id and
 * traffic share in its payload. Only the newest 100 deployments of the
 * environment are searched, which is where a retried try's deployment is.
 */
export async function findDeployment(
  octokit: ProbotOctokit,
  promotion: Promotion,
  trafficPercent: number,
): Promise<CreatedDeployment | undefined> {
  const { data } = await octokit.rest.repos.listDeployments({
    ...splitRepo(promotion),
    environment: promotion.environment,
    per_page: 100,
  });
  const found = data.find((deployment) => {
    const payload = deployment.payload;
    return (
      typeof payload === "object" &&
      payload !== null &&
      payload.promotion_id === promotion.id &&
      (payload.traffic_percent ?? 100) === trafficPercent
    );
  });
  return found ? { id: found.id, sha: found.sha, ref: found.ref } : undefined;
}

/** Creates a deployment of the promotion at the head of the default branch. */
export async function createDeployment(
  octokit: ProbotOctokit,
  promotion: Promotion,
  trafficPercent: number,
): Promise<CreatedDeployment> {
  const { owner, repo } = splitRepo(promotion);
  const { data: repository } = await octokit.rest.repos.get({ owner, repo });
  const { data: branch } = await octokit.rest.repos.getBranch({
    owner,
    repo,
    branch: repository.default_branch,
  });

  const share = trafficPercent === 100 ? "" : ` at ${trafficPercent} %`;
  const description =
    promotion.kind === "rollback"
      ? `Gantry: roll back ${promotion.modelName} in ${promotion.environment} to ${promotion.version}`
      : `Gantry: ${promotion.modelName} ${promotion.version} to ${promotion.environment}${share}`;
  const { data } = await octokit.rest.repos.createDeployment({
    owner,
    repo,
    ref: branch.commit.sha,
    environment: promotion.environment,
    payload: { ...deploymentPayload(promotion, trafficPercent) },
    description,
    auto_merge: false,
    required_contexts: [],
    production_environment: promotion.environment === "production",
  });
  if (!("id" in data)) {
    throw new Error(
      `GitHub did not create the deployment: ${data.message ?? "no reason given"}`,
    );
  }
  return { id: data.id, sha: data.sha, ref: branch.commit.sha };
}
