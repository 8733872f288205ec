import type { WebClient } from "@slack/web-api";
import type { Redis } from "ioredis";
import type { ProbotOctokit } from "probot";
import type { JiraClient } from "./clients/jira.js";
import type { MlflowClient } from "./clients/mlflow.js";
import type { ConfigRegistry } from "./config/config-registry.js";
import type { Settings } from "./config/env.js";
import type { Logger } from "./logger.js";
import type { JobQueues } from "./queues.js";
import type { PromotionStore } from "./store/promotion-store.js";

/** Everything handlers and job processors use, built once per process. */
export type Services = {
  settings: Settings;
  log: Logger;
  redis: Redis;
  store: PromotionStore;
  registry: ConfigRegistry;
  mlflow: MlflowClient;
  slack: WebClient;
  /** Jira, when JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN are set. */
  jira: JiraClient | undefined;
  /** Returns an Octokit authenticated as the app's installation. */
  github: (installationId: number) => Promise<ProbotOctokit>;
  queues: JobQueues;
};
