import { WebClient } from "@slack/web-api";
import type { Job } from "bullmq";
import { Redis } from "ioredis";
import { Probot, ProbotOctokit } from "probot";
import { JiraClient } from "../../src/clients/jira.js";
import { MlflowClient } from "../../src/clients/mlflow.js";
import { ConfigRegistry } from "../../src/config/config-registry.js";
import { secretValues } from "../../src/config/env.js";
import { createLogger } from "../../src/logger.js";
import { JobQueues, type JobDefinition } from "../../src/queues.js";
import type { Services } from "../../src/services.js";
import { slackLogger } from "../../src/slack-logger.js";
import { PromotionStore } from "../../src/store/promotion-store.js";
import { testSettings } from "./settings.js";

export { GITHUB_API, nockInstallationToken } from "./github-api.js";
export { SLACK_API } from "./slack-api.js";

export type TestServices = {
  services: Services;
  probot: Probot;
  /** Every line the services' logger wrote, as JSON text. */
  logs: string[];
  close: () => Promise<void>;
};

/**
 * Builds Services as the runtime does, on a Redis connection of its own to
 * the test database, with HTTP clients aimed at hosts that nock fakes:
 * api.github.com, slack.com and mlflow.test, and Jira when `env` sets it.
 * Retries inside the clients are off, as in production, so one faked reply
 * serves one call.
 */
export function testServices(
  redisUrl: string,
  env: Record<string, string | undefined> = {},
): TestServices {
  const settings = testSettings(env);
  const logs: string[] = [];
  const log = createLogger({
    level: "debug",
    secrets: secretValues(settings),
    destination: { write: (line: string) => void logs.push(line) },
  });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const probot = new Probot({
    appId: settings.github.appId,
    privateKey: settings.github.privateKey,
    secret: settings.github.webhookSecret,
    baseUrl: settings.github.baseUrl,
    log: log.child({ component: "probot" }),
    Octokit: ProbotOctokit.defaults({
      retry: { enabled: false },
      throttle: { enabled: false },
    }),
  });
  const queues = new JobQueues(redis, settings.jobRetry);

  const services: Services = {
    settings,
    log,
    redis,
    store: new PromotionStore(redis),
    registry: new ConfigRegistry(redis),
    mlflow: new MlflowClient(
      settings.mlflow.trackingUri,
      settings.mlflow.token,
    ),
    slack: new WebClient(settings.slack.botToken, {
      slackApiUrl: settings.slack.apiUrl,
      logger: slackLogger(log.child({ component: "slack" })),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    }),
    jira: settings.jira
      ? new JiraClient({ ...settings.jira, secrets: secretValues(settings) })
      : undefined,
    github: (installationId) => probot.auth(installationId),
    queues,
  };

  return {
    services,
    probot,
    logs,
    close: async () => {
      await queues.close();
      redis.disconnect();
    },
  };
}

const ALL_STATES = [
  "waiting",
  "delayed",
  "prioritized",
  "waiting-children",
  "active",
  "completed",
  "failed",
] as const;

/** Returns the id and data of every job in a definition's queue, by id. */
export async function queuedJobs<Data>(
  services: Services,
  definition: JobDefinition<Data>,
): Promise<{ id: string | undefined; data: Data }[]> {
  const jobs = (await services.queues
    .queue(definition.queue)
    .getJobs([...ALL_STATES])) as Job<Data>[];
  return jobs
    .map((job) => ({ id: job.id, data: job.data }))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}
