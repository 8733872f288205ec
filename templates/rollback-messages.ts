import type { RollbackOutcome } from "../src/rollback/start-rollback.js";
import { escapeMrkdwn } from "./limits.js";

export const ROLLBACK_USAGE =
  "Usage: `/rollback MODEL ENVIRONMENT`, for example `/rollback churn production`.";

/** Returns the ephemeral reply to /rollback (or a Roll back button) for each outcome. */
export function rollbackReply(params: {
  modelName: string;
  environment: string;
  outcome: RollbackOutcome;
}): string {
  const model = escapeMrkdwn(params.modelName);
  const environment = escapeMrkdwn(params.environment);
  const { outcome } = params;
  switch (outcome.outcome) {
    case "started":
      return `Rolling back ${model} in ${environment} from version ${escapeMrkdwn(outcome.fromVersion)} to version ${escapeMrkdwn(outcome.rollback.version)} (${outcome.rollback.id}); its card is in <#${outcome.rollback.channel}>. Automation promotes nothing into ${environment} until someone promotes by hand.`;
    case "nothing_to_roll_back":
      return outcome.fromVersion === undefined
        ? `Nothing to roll back: no version of ${model} is live in ${environment}. Nothing was changed.`
        : `Nothing to go back to: no version of ${model} other than ${escapeMrkdwn(outcome.fromVersion)} succeeded in ${environment}. Nothing was changed.`;
    case "in_progress":
      return `A rollback of ${model} in ${environment} to version ${escapeMrkdwn(outcome.rollback.version)} is already under way (${outcome.rollback.id}).`;
    case "moved_on":
      return `The promotion in ${environment} moved on (now ${outcome.status?.replace("_", " ") ?? "gone"}) while the rollback started, so nothing was changed; check its card and try again.`;
    case "not_configured":
      return `${model} is no longer configured; check its repository's .github/gantry.yml.`;
  }
}
