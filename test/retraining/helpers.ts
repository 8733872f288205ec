import { generateKeyPairSync } from "node:crypto";
import { App } from "@slack/bolt";
import nock from "nock";
import { pino } from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterEach, beforeEach } from "vitest";
import { parse } from "yaml";
import { githubApp } from "../../handlers/github/index.js";
import { registerSlackHandlers } from "../../handlers/slack/index.js";
import {
  requestRetraining,
  type RetrainingRequest,
} from "../../jobs/retraining-run.js";
import { loadSettings } from "../../src/config/env.js";
import { validateRepoConfig } from "../../src/config/repo-config.js";
import type { RetrainingRun } from "../../src/retraining/retraining-run.js";
import { RetrainingRunStore } from "../../src/retraining/run-store.js";
import { buildServices } from "../../src/runtime.js";
import type { Services } from "../../src/services.js";
import { slackLogger } from "../../src/slack-logger.js";
import { useRedis } from "../helpers/redis.js";

export const REPO = "example-user/Hello-World";
export const INSTALLATION_ID = 4242;
export const MODEL = `${REPO}:churn`;
export const GITHUB_API = "https://api.github.com";
export const SLACK_API = "https://slack.com";
export const MLFLOW_URL = "http://mlflow.test";
export const JIRA_URL = "https://jira.test";

/** The `.github/gantry.yml` that README.md shows, with a production canary. */
export const SAMPLE_CONFIG = `slack:
  channel: C0RELEASES
models:
  churn:
    registry: churn-model
    paths: [models/churn/**]
    training_workflow: train.yml
    gates: { accuracy: ">= 0.90", latency_p99_ms: "<= 2000" }
environments:
  dev: { auto_deploy: true, approvals: 0 }
  staging: { after: dev, soak: 24h, approvals: 1, approvers: [S0MLLEADS] }
  production:
    after: staging
    approvals: 2
    approvers: [S0MLLEADS, U0RELMGR]
    canary: [5, 25, 50, 100]
    bake: 10m
`;

let privateKey: string | undefined;

/** Returns an RSA key in PEM for the GitHub App, generated once per test file. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  return privateKey;
}

/**
 * Builds the services as the runtime does, on the test Redis, with a silent
 * logger. GitHub is at api.github.com, Slack at slack.com, MLflow at
 * mlflow.test and Jira at jira.test, which nock fakes.
 */
export function retrainingTestServices(redisUrl: string): {
  services: Services;
  close: () => Promise<void>;
} {
  const settings = loadSettings({
    APP_ID: "123456",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET: "test-github-webhook-secret-0001",
    SLACK_BOT_TOKEN: "xoxb-test-bot-token-0001",
    SLACK_SIGNING_SECRET: "test-slack-signing-secret-0001",
    MLFLOW_TRACKING_URI: MLFLOW_URL,
    JIRA_BASE_URL: JIRA_URL,
    JIRA_EMAIL: "gantry@example.com",
    JIRA_API_TOKEN: "test-jira-token-0001",
    REDIS_URL: redisUrl,
    GANTRY_JOB_ATTEMPTS: "1",
    GANTRY_JOB_BACKOFF_MS: "10",
  });
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

/** The sample configuration with drift retraining on and a 24 h cooldown. */
export const RETRAIN_CONFIG = `${SAMPLE_CONFIG}retrain: { on_drift: true, cooldown: 24h }
`;

/**
 * Gives each test real services on the file's Redis database, with Jira
 * configured at JIRA_URL and the retraining configuration stored.
 */
export function useRetrainingServices(config = RETRAIN_CONFIG): {
  services: () => Services;
  url: string;
} {
  const { url } = useRedis();
  let current: { services: Services; close: () => Promise<void> } | undefined;

  beforeEach(async () => {
    current = retrainingTestServices(url);
    await storeConfig(current.services, config);
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });

  return {
    services: () => {
      if (!current) throw new Error("no services outside a test");
      return current.services;
    },
    url,
  };
}

export async function storeConfig(
  services: Services,
  text: string,
): Promise<void> {
  const result = validateRepoConfig(parse(text));
  if (!result.ok)
    throw new Error(`invalid test config: ${JSON.stringify(result.problems)}`);
  await services.registry.storeRepo({
    repo: REPO,
    installationId: INSTALLATION_ID,
    config: result.config,
  });
}

/** Returns a retraining request for churn, with `overrides` applied. */
export function retrainingRequest(
  overrides: Partial<RetrainingRequest> = {},
): RetrainingRequest {
  return {
    modelKey: MODEL,
    reason: "drift on tenure_months",
    ticket: "MLOPS-12",
    requestedBy: "alertmanager",
    source: "drift",
    ...overrides,
  };
}

/** Requests a run and returns it as stored; throws when the request was turned away. */
export async function queuedRun(
  services: Services,
  dedupeKey: string,
  overrides: Partial<RetrainingRequest> = {},
): Promise<RetrainingRun> {
  const result = await requestRetraining(
    services,
    retrainingRequest(overrides),
    dedupeKey,
  );
  if (!result.queued) throw new Error(`not queued: ${result.why}`);
  const runs = new RetrainingRunStore(services.redis);
  const id = await runs.inFlight(MODEL);
  const run = id ? await runs.get(id) : undefined;
  if (!run) throw new Error("queued run not stored");
  return run;
}

/** Plays the dispatch of a queued run: marks it dispatched and links workflow run `workflowRunId`. */
export async function dispatchedRun(
  services: Services,
  params: {
    dedupeKey: string;
    workflowRunId?: number;
    at?: Date;
    request?: Partial<RetrainingRequest>;
  },
): Promise<RetrainingRun> {
  const runs = new RetrainingRunStore(services.redis);
  const run = await queuedRun(services, params.dedupeKey, params.request);
  const at = params.at ?? new Date();
  await runs.setFields(run.id, { dispatchAttemptedAt: at.toISOString() });
  await runs.markDispatched(run, { at, ref: "master" });
  if (params.workflowRunId !== undefined) {
    await runs.linkWorkflowRun(run, {
      id: params.workflowRunId,
      url: `https://github.com/${REPO}/actions/runs/${params.workflowRunId}`,
    });
  }
  const stored = await runs.get(run.id);
  if (!stored) throw new Error("dispatched run not stored");
  return stored;
}

/** Returns the ids of a queue's jobs in every state. */
export async function jobIds(
  services: Services,
  queue: string,
): Promise<string[]> {
  const jobs = await services.queues
    .queue(queue)
    .getJobs(["waiting", "delayed", "active", "completed", "failed"]);
  return jobs.map((job) => job.id ?? "").sort();
}

/** A Probot instance with Gantry's webhook handlers, as the brief for handler tests describes. */
export async function testProbot(services: Services): Promise<Probot> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const probot = new Probot({
    appId: 123456,
    privateKey: privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
    secret: "test-github-webhook-secret-0001",
    Octokit: ProbotOctokit.defaults({
      retry: { enabled: false },
      throttle: { enabled: false },
    }),
  });
  await probot.load(githubApp(services, {}));
  return probot;
}

/** Captures the text of every chat.postMessage call. */
export function nockSlackPosts(): { channel: string; text: string }[] {
  const posts: { channel: string; text: string }[] = [];
  nock(SLACK_API)
    .persist()
    .post("/api/chat.postMessage")
    .reply(200, (_uri, body) => {
      const form = new URLSearchParams(body as string);
      const channel = form.get("channel") ?? "";
      posts.push({ channel, text: form.get("text") ?? "" });
      return { ok: true, channel, ts: `1715679100.${posts.length}` };
    });
  return posts;
}

/** Captures the comments added to a Jira issue. */
export function nockJiraComments(key: string): string[] {
  const comments: string[] = [];
  nock(JIRA_URL)
    .persist()
    .post(`/rest/api/2/issue/${key}/comment`)
    .reply(201, (_uri, body) => {
      comments.push((body as { body: string }).body);
      return { id: String(10_000 + comments.length) };
    });
  return comments;
}

/** Fakes model-versions/search for one filter, returning the given versions. */
export function nockSearchVersions(params: {
  filter: string;
  orderBy?: string;
  maxResults: number;
  versions: {
    version: string;
    createdAt?: number;
    tags?: Record<string, string>;
  }[];
}): nock.Scope {
  const query: Record<string, string> = {
    filter: params.filter,
    max_results: String(params.maxResults),
  };
  if (params.orderBy) query.order_by = params.orderBy;
  return nock(MLFLOW_URL)
    .get("/api/2.0/mlflow/model-versions/search")
    .query(query)
    .reply(200, {
      model_versions: params.versions.map((entry) =>
        versionJson(entry.version, entry),
      ),
    });
}

/**
 * A Bolt app with Gantry's Slack listeners, driven without HTTP: `dispatch`
 * runs the listeners for a parsed request body and returns the acknowledgement.
 */
export function testBolt(services: Services): {
  dispatch: (body: Record<string, unknown>) => Promise<unknown>;
} {
  const app = new App({
    signingSecret: "unused-in-process",
    authorize: async () => ({ botToken: services.settings.slack.botToken }),
    clientOptions: { slackApiUrl: services.settings.slack.apiUrl },
    logger: slackLogger(services.log),
    ignoreSelf: false,
  });
  registerSlackHandlers(app, services);

  return {
    dispatch: async (body) => {
      let acknowledged: unknown;
      await app.processEvent({
        body,
        ack: async (response?: unknown) => {
          acknowledged = response;
        },
      });
      return acknowledged;
    },
  };
}

/** Intercepts the installation token exchange that Probot makes before installation calls. */
export function nockInstallationToken(): nock.Scope {
  return nock(GITHUB_API)
    .post(`/app/installations/${INSTALLATION_ID}/access_tokens`)
    .reply(201, {
      token: "ghs_test_installation_token_0001",
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      permissions: { actions: "write", pull_requests: "read" },
      repository_selection: "selected",
    });
}

/** Fakes runs/get, returning a run's metrics. */
export function nockRunMetrics(
  runId: string,
  metrics: Record<string, number>,
): nock.Scope {
  return nock(MLFLOW_URL)
    .get("/api/2.0/mlflow/runs/get")
    .query({ run_id: runId })
    .reply(200, {
      run: {
        info: { run_id: runId, status: "FINISHED" },
        data: {
          metrics: Object.entries(metrics).map(([key, value]) => ({
            key,
            value,
            timestamp: 1,
            step: 0,
          })),
        },
      },
    });
}

/** Fakes a GET of registered-models/alias, returning the version with the alias, or 404 when none has it. */
export function nockAlias(alias: string, version?: string): nock.Scope {
  const scope = nock(MLFLOW_URL)
    .get("/api/2.0/mlflow/registered-models/alias")
    .query({ name: "churn-model", alias });
  if (!version)
    return scope.reply(404, {
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: `alias ${alias} not found`,
    });
  return scope.reply(200, { model_version: versionJson(version) });
}

/** Answers model-versions/get for a version. */
export function nockGetVersion(version: string): nock.Scope {
  return nock(MLFLOW_URL)
    .get("/api/2.0/mlflow/model-versions/get")
    .query({ name: "churn-model", version })
    .reply(200, { model_version: versionJson(version) });
}

function versionJson(
  version: string,
  params: { createdAt?: number; tags?: Record<string, string> } = {},
) {
  return {
    name: "churn-model",
    version,
    creation_timestamp: params.createdAt ?? 1_715_000_000_000,
    last_updated_timestamp: params.createdAt ?? 1_715_000_000_000,
    run_id: `run${version}`,
    source: `models:/churn-model/${version}`,
    status: "READY",
    tags: Object.entries(params.tags ?? {}).map(([key, value]) => ({
      key,
      value,
    })),
    aliases: [],
  };
}
