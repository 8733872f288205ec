import type { Promotion } from "../promotion.js";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";

export type ProtectionAnswer = {
  state: "approved" | "rejected";
  comment: string;
};

/**
 * Answers a GitHub deployment protection rule for the promotion's workflow
 * run, once: a marker in Redis records the answer, and GitHub itself
 * refuses a second one. The callback must be on the configured GitHub API
 * host, so a payload cannot point the installation token elsewhere.
 */
export async function answerProtectionRule(
  services: Services,
  promotion: Pick<
    Promotion,
    "id" | "callbackUrl" | "environment" | "installationId" | "workflowRunId"
  >,
  answer: ProtectionAnswer,
): Promise<void> {
  const url = promotion.callbackUrl;
  if (!url) return;

  const marker = keys.once("protection-answer", promotion.id);
  if (await services.redis.exists(marker)) return;

  const apiBase = services.settings.github.baseUrl ?? "https://api.github.com";
  if (new URL(url).origin !== new URL(apiBase).origin) {
    services.log.error(
      { promotionId: promotion.id, callbackHost: new URL(url).host },
      "protection rule callback is not on the GitHub API host; not answered",
    );
    return;
  }

  const octokit = await services.github(promotion.installationId);
  await octokit.request(`POST ${url}`, {
    environment_name: promotion.environment,
    state: answer.state,
    comment: answer.comment.slice(0, 1000),
  });
  await services.redis.set(marker, answer.state, "EX", 30 * 86_400);
  services.log.info(
    {
      promotionId: promotion.id,
      state: answer.state,
      workflowRunId: promotion.workflowRunId,
    },
    "protection rule answered",
  );
}
