import type { ProbotOctokit } from "probot";
import type { Promotion } from "../src/promotion.js";
import type { JobDefinition } from "../src/queues.js";
import { slackCardJob } from "./slack-card.js";

export type DeploymentData = { promotionId: string };

/** The payload a deploy workflow reads from the deployment event; a public contract. */
export type DeploymentPayload = {
  model: string;
  version: string;
  traffic_percent: number;
  promotion_id: string;
  rollback: boolean;
};

/**
 * Creates the GitHub deployment of an approved promotion at the head of the
 * default branch. A retry after a crash finds the deployment it already
 * created by the promotion id in its payload, so none is created twice.
 */
export const deploymentJob: JobDefinition<DeploymentData> = {
  queue: "{deployments}",
  options: {},

  async process(data, services) {
    const promotion = await services.store.get(data.promotionId);
    if (promotion?.status !== "approved") {
      services.log.debug(
        { promotionId: data.promotionId, status: promotion?.status },
        "promotion not awaiting deployment",
      );
      return;
    }

    const octokit = await services.github(promotion.installationId);
    const deployment =
      (await findDeployment(octokit, promotion)) ??
      (await createDeployment(octokit, promotion));
    await services.store.linkDeployment(deployment.id, promotion.id);

    const moved = await services.store.transition({
      id: promotion.id,
      from: ["approved"],
      to: "deploying",
      actor: "gantry",
      fields: {
        deploymentId: deployment.id,
        sha: deployment.sha,
        ref: deployment.ref,
      },
    });
    if (!moved.ok) return;

    services.log.info(
      {
        promotionId: promotion.id,
        deploymentId: deployment.id,
        sha: deployment.sha,
      },
      "deployment created",
    );
    await services.queues.add(
      slackCardJob,
      {
        promotionId: promotion.id,
        note: {
          kind: "deployment_created",
          deploymentId: deployment.id,
          sha: deployment.sha,
        },
      },
      `card:${promotion.id}:deployment:${deployment.id}`,
    );
  },

  async giveUp(data, error, services) {
    const moved = await services.store.transition({
      id: data.promotionId,
      from: ["approved"],
      to: "failed",
      actor: "gantry",
      reason: `the GitHub deployment could not be created: ${error.message}`,
    });
    if (!moved.ok) return;

    services.log.error(
      { err: error, promotionId: data.promotionId },
      "deployment could not be created",
    );
    await services.queues.add(
      slackCardJob,
      {
        promotionId: data.promotionId,
        note: {
          kind: "failed",
          reason: moved.promotion.reason ?? error.message,
        },
      },
      `card:${data.promotionId}:deployment-failed`,
    );
  },
};

type CreatedDeployment = { id: number; sha: string; ref: string };

function splitRepo(promotion: Promotion): { owner: string; repo: string } {
  const [owner = "", repo = ""] = promotion.repo.split("/");
  return { owner, repo };
}

async function findDeployment(
  octokit: ProbotOctokit,
  promotion: Promotion,
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
      payload.promotion_id === promotion.id
    );
  });
  return found ? { id: found.id, sha: found.sha, ref: found.ref } : undefined;
}

async function createDeployment(
  octokit: ProbotOctokit,
  promotion: Promotion,
): Promise<CreatedDeployment> {
  const { owner, repo } = splitRepo(promotion);
  const { data: repository } = await octokit.rest.repos.get({ owner, repo });
  const { data: branch } = await octokit.rest.repos.getBranch({
    owner,
    repo,
    branch: repository.default_branch,
  });

  const payload: DeploymentPayload = {
    model: promotion.modelName,
    version: promotion.version,
    traffic_percent: 100,
    promotion_id: promotion.id,
    rollback: false,
  };
  const { data } = await octokit.rest.repos.createDeployment({
    owner,
    repo,
    ref: branch.commit.sha,
    environment: promotion.environment,
    payload: { ...payload },
    description: `Gantry: ${promotion.modelName} ${promotion.version} to ${promotion.environment}`,
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
