import type { Server } from "node:http";
import { Probot, ProbotOctokit } from "probot";
import { JiraClient } from "./clients/jira.js";
import { MlflowClient } from "./clients/mlflow.js";
import { ScrubbingWebClient } from "./clients/scrubbing-web-client.js";
import { loadAllRepoConfigs } from "./config/config-loader.js";
import { ConfigRegistry } from "./config/config-registry.js";
import { secretValues, type Settings } from "./config/env.js";
import { lockReminderTask } from "./lock-reminders.js";
import type { Logger } from "./logger.js";
import { JOB_DEFINITIONS } from "./job-definitions.js";
import { JobQueues, startWorkers } from "./queues.js";
import { createRedis, throttledErrorLog } from "./redis.js";
import { releaseTasks, resumeAtStart } from "./promotions/release-schedules.js";
import { RetrainingSchedules } from "./retraining/retraining-schedules.js";
import { startSchedules, type Schedules } from "./schedules.js";
import { createWebServer, listen } from "./server.js";
import type { Services } from "./services.js";
import { slackLogger } from "./slack-logger.js";
import { PromotionStore } from "./store/promotion-store.js";

export type Role = { web: boolean; worker: boolean };

export type Running = { port: number | undefined; stop: () => Promise<void> };

/** How long one GitHub or Slack API call may take before it fails and its job is retried. */
const CALL_TIMEOUT_MS = 10_000;

function fetchWithTimeout(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<Response> {
  return fetch(input, {
    ...init,
    signal: init.signal ?? AbortSignal.timeout(CALL_TIMEOUT_MS),
  });
}

/** Builds the services that web and worker processes share. */
export function buildServices(
  settings: Settings,
  log: Logger,
  redisUrl: string,
): { services: Services; probot: Probot } {
  const redis = createRedis(redisUrl);
  redis.on("error", throttledErrorLog(log, { connection: "main" }));

  // BullMQ retries with backoff, so Octokit's own quick retries stay off.
  // Neither Octokit (@octokit/request 10) nor the Slack client
  // (@slack/web-api 7) times out by default, and a call that hangs would
  // hold its job forever, so both get a timeout.
  const probot = new Probot({
    appId: settings.github.appId,
    privateKey: settings.github.privateKey,
    secret: settings.github.webhookSecret,
    baseUrl: settings.github.baseUrl,
    log: log.child({ component: "probot" }),
    Octokit: ProbotOctokit.defaults({
      retry: { enabled: false },
      request: { fetch: fetchWithTimeout },
    }),
  });

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
    slack: new ScrubbingWebClient(settings.slack.botToken, {
      secrets: secretValues(settings),
      slackApiUrl: settings.slack.apiUrl,
      logger: slackLogger(log.child({ component: "slack" })),
      retryConfig: { retries: 0 },
      timeout: CALL_TIMEOUT_MS,
      // Throw at once on 429 so the job waits Retry-After without holding a worker.
      rejectRateLimitedCalls: true,
    }),
    jira: settings.jira
      ? new JiraClient({ ...settings.jira, secrets: secretValues(settings) })
      : undefined,
    github: (installationId) => probot.auth(installationId),
    queues: new JobQueues(redis, settings.jobRetry),
  };
  return { services, probot };
}

/**
 * Starts the web server, the workers, or both, and returns how to stop them.
 * Stopping closes the server first, then lets running jobs finish.
 */
export async function run(params: {
  settings: Settings;
  log: Logger;
  redisUrl: string;
  role: Role;
  serverDefaults: unknown;
}): Promise<Running> {
  const { settings, log, role } = params;
  const { services, probot } = buildServices(settings, log, params.redisUrl);

  let server: Server | undefined;
  let closeWeb = async (): Promise<void> => undefined;
  if (role.web) {
    const web = await createWebServer({
      services,
      probot,
      serverDefaults: params.serverDefaults,
    });
    server = await listen(web.app, settings.port);
    closeWeb = web.close;
    void loadConfigsAtStart(services, probot, params.serverDefaults);
  }

  let closeWorkers = async (): Promise<void> => undefined;
  let schedules: Schedules | undefined;
  let retrainingSchedules: RetrainingSchedules | undefined;
  if (role.worker) {
    closeWorkers = startWorkers(
      JOB_DEFINITIONS,
      services,
      services.redis,
    ).close;
    retrainingSchedules = new RetrainingSchedules(services);
    const retraining = retrainingSchedules;
    schedules = startSchedules(services, [
      ...releaseTasks(services),
      {
        name: "retraining-schedules",
        expression: "* * * * *",
        task: () => retraining.sync(),
      },
      lockReminderTask(services),
    ]);
    void resumeAtStart(services).catch((error: unknown) =>
      log.error({ err: error }, "work in flight could not be resumed at start"),
    );
    void retraining
      .sync()
      .catch((error: unknown) =>
        log.error({ err: error }, "retraining schedules could not be read"),
      );
  }

  const address = server?.address();
  const port =
    typeof address === "object" && address ? address.port : undefined;
  log.info({ port, web: role.web, worker: role.worker }, "gantry started");

  return {
    port,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (!server) return resolve();
        server.close(() => resolve());
        // Idle keep-alive connections would hold close() open for seconds.
        server.closeIdleConnections();
      });
      await closeWeb();
      schedules?.stop();
      await retrainingSchedules?.stop();
      await closeWorkers();
      // Queue.close waits for Redis too; a disconnect ends it either way.
      services.redis.disconnect();
      await services.queues.close().catch(() => undefined);
    },
  };
}

async function loadConfigsAtStart(
  services: Services,
  probot: Probot,
  serverDefaults: unknown,
): Promise<void> {
  try {
    const loaded = await loadAllRepoConfigs({
      appOctokit: await probot.auth(),
      installationOctokit: (id) => probot.auth(id),
      registry: services.registry,
      serverDefaults,
      log: services.log,
    });
    services.log.info(
      { repositories: loaded },
      "repository configurations loaded",
    );
  } catch (error) {
    services.log.error(
      { err: error },
      "loading repository configurations failed; they load again on the next push or restart",
    );
  }
}
