import { alertEventJob } from "../jobs/alert-event.js";
import { deploymentJob } from "../jobs/deployment.js";
import { deploymentStatusJob } from "../jobs/deployment-status.js";
import { promotionExpiryJob } from "../jobs/promotion-expiry.js";
import { promotionRequestJob } from "../jobs/promotion-request.js";
import { protectionRuleRequestJob } from "../jobs/protection-rule-request.js";
import { mergedPullRequestJob } from "../jobs/merged-pull-request.js";
import { retrainingOutcomeJob } from "../jobs/retraining-outcome.js";
import { retrainingRunJob } from "../jobs/retraining-run.js";
import { slackCardJob } from "../jobs/slack-card.js";
import { canaryCheckJob } from "../jobs/canary-check.js";
import { canaryTimeoutJob } from "../jobs/canary-timeout.js";
import { rollbackTicketJob } from "../jobs/rollback-ticket.js";
import { soakProposalJob } from "../jobs/soak-proposal.js";
import type { JobDefinition } from "./queues.js";

/** Every job kind, each with its own queue. */
export const JOB_DEFINITIONS: readonly JobDefinition<never>[] = [
  promotionRequestJob,
  slackCardJob,
  deploymentJob,
  deploymentStatusJob,
  promotionExpiryJob,
  protectionRuleRequestJob,
  retrainingRunJob,
  retrainingOutcomeJob,
  mergedPullRequestJob,
  alertEventJob,
  canaryCheckJob,
  canaryTimeoutJob,
  rollbackTicketJob,
  soakProposalJob,
] as JobDefinition<never>[];
