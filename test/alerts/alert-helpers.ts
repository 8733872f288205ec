import { generateKeyPairSync } from "node:crypto";
import { QueueEvents } from "bullmq";
import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach } from "vitest";
import { parse } from "yaml";
import { alertEventJob } from "../../jobs/alert-event.js";
import { readJsonFixture } from "../../scripts/fixtures.js";
import { parseAlertmanagerWebhook } from "../../src/alerts/alertmanager-webhook.js";
import {
  alertJobId,
  type ReceivedAlert,
} from "../../src/alerts/received-alert.js";
import { loadSettings } from "../../src/config/env.js";
import { validateRepoConfig } from "../../src/config/repo-config.js";
import { startWorkers, type JobDefinition } from "../../src/queues.js";
import { buildServices } from "../../src/runtime.js";
import type { Services } from "../../src/services.js";
import { useRedis } from "../helpers/redis.js";

export const JIRA_URL = "https://jira.example.test";
export const JIRA_EMAIL = "gantry@example.com";
export const JIRA_TOKEN = "test-jira-api-token-0001";
export const ALERTS_TOKEN = "test-alerts-token-0001";
export const MODEL_KEY = "example-user/Hello-World:churn";

export const SLACK_API = "https://slack.com";
export const REPO = "example-user/Hello-World";

/** Returns a complete environment with Jira and the alert endpoints switched on. Tests nock the outside hosts. */
export function alertEnv(
  overrides: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return {
    APP_ID: "123456",
    PRIVATE_KEY: privateKey(),
    WEBHOOK_SECRET: "test-github-webhook-secret-0001",
    SLACK_BOT_TOKEN: "xoxb-test-bot-token-0001",
    SLACK_SIGNING_SECRET: "test-slack-signing-secret-0001",
    MLFLOW_TRACKING_URI: "http://mlflow.test",
    JIRA_BASE_URL: JIRA_URL,
    JIRA_EMAIL,
    JIRA_API_TOKEN: JIRA_TOKEN,
    ALERTS_TOKEN,
    GANTRY_JOB_ATTEMPTS: "3",
    GANTRY_JOB_BACKOFF_MS: "10",
    ...overrides,
  };
}

let generatedKey: string | undefined;

function privateKey(): string {
  generatedKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  return generatedKey;
}

/** Builds the real services against the test Redis with a silent logger. */
export function alertTestServices(
  redisUrl: string,
  env: Record<string, string | undefined> = {},
): { services: Services; close: () => Promise<void> } {
  const settings = loadSettings(alertEnv({ REDIS_URL: redisUrl, ...env }));
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
  const { services } = buildServices(settings, log, redisUrl);
  return {
    services,
    close: async () => {
      await services.queues.close();
      services.redis.disconnect();
    },
  };
}

/** The repository configuration of the alert tests: model churn with a Jira project and an alerts channel. */
export const ALERT_CONFIG = `slack:
  channel: C0RELEASES
  alerts_channel: C0ALERTS
models:
  churn:
    registry: churn-model
    training_workflow: train.yml
environments:
  dev: { auto_deploy: true, approvals: 0 }
  production: { after: dev, approvals: 1, approvers: [U0RELMGR] }
jira: { project: MLOPS, drift_type: Task, critical_type: Bug }
`;

/** Stores a repository configuration as if Gantry had loaded it from GitHub. */
export async function storeConfig(
  services: Services,
  text: string = ALERT_CONFIG,
): Promise<void> {
  const result = validateRepoConfig(parse(text));
  if (!result.ok)
    throw new Error(`invalid test config: ${JSON.stringify(result.problems)}`);
  await services.registry.storeRepo({
    repo: REPO,
    installationId: 4242,
    config: result.config,
  });
}

/** The alerts of the Alertmanager fixture: `[drift, critical]`, firing or resolved. */
export function fixtureAlerts(
  status: "firing" | "resolved" = "firing",
): [ReceivedAlert, ReceivedAlert] {
  const parsed = parseAlertmanagerWebhook(
    readJsonFixture(`alerts/alertmanager.v4.${status}.json`),
  );
  if (!parsed.ok) throw new Error(parsed.error);
  const [drift, critical] = parsed.notification.alerts;
  if (!drift || !critical) throw new Error("fixture lost an alert");
  return [drift, critical];
}

/** Intercepted Jira REST API version 2 calls, named after jira-client's methods. */
export const jiraApi = {
  addNewIssue(key: string, bodies: unknown[] = []): nock.Scope {
    return nock(JIRA_URL)
      .post("/rest/api/2/issue")
      .reply(201, (_uri, body) => {
        bodies.push(body);
        return {
          id: "10001",
          key,
          self: `${JIRA_URL}/rest/api/2/issue/${key}`,
        };
      });
  },
  searchJira(issues: unknown[]): nock.Scope {
    return nock(JIRA_URL)
      .post("/rest/api/2/search")
      .reply(200, { startAt: 0, total: issues.length, issues });
  },
  findIssue(issue: ReturnType<typeof jiraIssue>): nock.Scope {
    return nock(JIRA_URL)
      .get(`/rest/api/2/issue/${issue.key}`)
      .query(true)
      .reply(200, issue);
  },
  addComment(key: string, comments: string[] = []): nock.Scope {
    return nock(JIRA_URL)
      .post(`/rest/api/2/issue/${key}/comment`)
      .reply(201, (_uri, body) => {
        comments.push((body as { body: string }).body);
        return { id: String(comments.length) };
      });
  },
  listTransitions(
    key: string,
    transitions: { id: string; name: string; category: string }[],
  ): nock.Scope {
    return nock(JIRA_URL)
      .get(`/rest/api/2/issue/${key}/transitions`)
      .query(true)
      .reply(200, {
        transitions: transitions.map((transition) => ({
          id: transition.id,
          name: transition.name,
          to: { statusCategory: { key: transition.category } },
        })),
      });
  },
  transitionIssue(key: string, bodies: unknown[] = []): nock.Scope {
    return nock(JIRA_URL)
      .post(`/rest/api/2/issue/${key}/transitions`)
      .reply(204, (_uri, body) => {
        bodies.push(body);
        return "";
      });
  },
};

/** An issue as Jira's search and issue endpoints return it. */
export function jiraIssue(
  key: string,
  status: { name: string; category: "new" | "indeterminate" | "done" },
  resolutiondate: string | null = null,
) {
  return {
    key,
    fields: {
      status: { name: status.name, statusCategory: { key: status.category } },
      resolutiondate,
      updated: resolutiondate ?? "2024-05-14T09:00:00.000+0000",
    },
  };
}

export type SlackBlock = {
  type: string;
  elements?: { action_id?: string; value?: string }[];
};

/** A recorded Slack Web API call: its method and form arguments, JSON fields parsed. */
export type SlackCall = {
  method: string;
  args: { channel?: string; ts?: string; text?: string; blocks?: SlackBlock[] };
};

/** Intercepted Slack Web API calls, named after the API methods. */
export const slackApi = {
  chatPostMessage(calls: SlackCall[], ts = "1715679200.000100"): nock.Scope {
    return nock(SLACK_API)
      .post("/api/chat.postMessage")
      .reply(200, (_uri, body) => {
        const args = slackArgs(body);
        calls.push({ method: "chat.postMessage", args });
        return { ok: true, channel: args.channel, ts };
      });
  },
  chatUpdate(calls: SlackCall[]): nock.Scope {
    return nock(SLACK_API)
      .post("/api/chat.update")
      .reply(200, (_uri, body) => {
        const args = slackArgs(body);
        calls.push({ method: "chat.update", args });
        return { ok: true, channel: args.channel, ts: args.ts };
      });
  },
};

function slackArgs(body: unknown): SlackCall["args"] {
  const form =
    typeof body === "string"
      ? Object.fromEntries(new URLSearchParams(body))
      : (body as Record<string, unknown>);
  const args: Record<string, any> = {};
  for (const [name, value] of Object.entries(form)) {
    args[name] =
      typeof value === "string" && /^[[{]/.test(value)
        ? JSON.parse(value)
        : value;
  }
  return args;
}

export type AlertJobs = {
  services: () => Services;
  /**
   * Queues each alert under its real job id, or under `jobIds` to play
   * deliveries that BullMQ cannot tell apart, and resolves with each job's
   * final state.
   */
  run: (
    alerts: readonly ReceivedAlert[],
    jobIds?: readonly string[],
  ) => Promise<JobOutcome[]>;
};

export type JobOutcome = {
  jobId: string;
  state: "completed" | "failed";
  attemptsStarted: number;
  failedReason: string | undefined;
};

/**
 * Gives each test real services on this file's Redis with Jira and alerts
 * switched on, the alert configuration stored, and `workers` alert workers
 * (each one plays a replica, four jobs at a time).
 */
export function useAlertJobs(
  options: { workers?: number; config?: string } = {},
): AlertJobs {
  const { url } = useRedis();
  let services: Services | undefined;
  let close: () => Promise<void> = async () => undefined;
  /** Resolvers of the jobs a test waits for, by job id. */
  const waiting = new Map<string, () => void>();

  beforeEach(async () => {
    const built = alertTestServices(url);
    services = built.services;
    await storeConfig(services, options.config);
    const stops = Array.from({ length: options.workers ?? 1 }, () =>
      startWorkers(
        [alertEventJob] as JobDefinition<never>[],
        built.services,
        built.services.redis,
      ),
    );
    const queueEvents = new QueueEvents(alertEventJob.queue, {
      connection: built.services.redis.duplicate(),
    });
    // One listener per event for all jobs, called when a job completes or fails for good.
    const settle = ({ jobId }: { jobId: string }) => waiting.get(jobId)?.();
    queueEvents.on("completed", settle);
    queueEvents.on("failed", settle);
    await queueEvents.waitUntilReady();
    close = async () => {
      await Promise.all(stops.map((stop) => stop.close()));
      await queueEvents.close();
      await built.close();
    };
  });
  afterEach(async () => {
    await close();
    services = undefined;
  });

  const current = () => {
    if (!services) throw new Error("useAlertJobs: no services outside a test");
    return services;
  };

  return {
    services: current,
    run: async (alerts, jobIds) => {
      const queue = current().queues.queue(alertEventJob.queue);
      const ids = alerts.map((alert, index) =>
        (jobIds?.[index] ?? alertJobId(alert)).replace(/:/g, "."),
      );
      const finished = ids.map(
        (id) => new Promise<void>((resolve) => waiting.set(id, resolve)),
      );
      await Promise.all(
        alerts.map((alert, index) =>
          current().queues.add(
            alertEventJob,
            { alert, receivedAt: new Date().toISOString() },
            ids[index] ?? alertJobId(alert),
          ),
        ),
      );
      await Promise.all(finished);

      return Promise.all(
        ids.map(async (jobId) => {
          const job = await queue.getJob(jobId);
          const state = await job?.getState();
          return {
            jobId,
            state: state === "completed" ? "completed" : "failed",
            attemptsStarted: job?.attemptsStarted ?? 0,
            failedReason: job?.failedReason,
          } satisfies JobOutcome;
        }),
      );
    },
  };
}
