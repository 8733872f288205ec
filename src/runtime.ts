import type { Server } from "node:http";
import { WebClient } from "@slack/web-api";
import { Probot, ProbotOctokit } from "probot";
import { deploymentJob } from "../jobs/deployment.js";
import { deploymentStatusJob } from "../jobs/deployment-status.js";
import { promotionRequestJob } from "../jobs/promotion-request.js";
import { reconcile } from "../jobs/reconcile.js";
import { slackCardJob } from "../jobs/slack-card.js";
import { MlflowClient } from "./clients/mlflow.js";
import { loadAllRepoConfigs } from "./config/config-loader.js";
import { ConfigRegistry } from "./config/config-registry.js";
import type { Settings } from "./config/env.js";
import type { Logger } from "./logger.js";
import { JobQueues, startWorkers, type JobDefinition } from "./queues.js";
import { createRedis } from "./redis.js";
import { startSchedules, type Schedules } from "./schedules.js";
import { createWebServer, listen } from "./server.js";
import type { Services } from "./services.js";
import { slackLogger } from "./slack-logger.js";
import { PromotionStore } from "./store/promotion-store.js";

/** Every job kind, each with its own queue. */
export const JOB_DEFINITIONS: readonly JobDefinition<never>[] = [
  promotionRequestJob,
  slackCardJob,
  deploymentJob,
  deploymentStatusJob,
] as JobDefinition<never>[];

export type Role = { web: boolean; worker: boolean };

export type Running = { port: number | undefined; stop: () => Promise<void> };

/** Builds the services that web and worker processes share. */
export function buildServices(
  settings: Settings,
  log: Logger,
  redisUrl: string,
): { services: Services; probot: Probot } {
  const redis = createRedis(redisUrl);
  redis.on("error", (error) =>
    log.warn({ err: error }, "redis connection error"),
  );

  // BullMQ retries with backoff, so Octokit's own quick retries stay off.
  const probot = new Probot({
    appId: settings.github.appId,
    privateKey: settings.github.privateKey,
    secret: settings.github.webhookSecret,
    baseUrl: settings.github.baseUrl,
    log: log.child({ component: "probot" }),
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false } }),
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
    slack: new WebClient(settings.slack.botToken, {
      slackApiUrl: settings.slack.apiUrl,
      logger: slackLogger(log.child({ component: "slack" })),
      retryConfig: { retries: 0 },
    }),
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
  if (role.worker) {
    closeWorkers = startWorkers(
      JOB_DEFINITIONS,
      services,
      services.redis,
    ).close;
    schedules = startSchedules(services, [
      {
        name: "reconcile",
        expression: "* * * * *",
        task: () => reconcile(services),
      },
    ]);
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
      await closeWorkers();
      await services.queues.close();
      services.redis.disconnect();
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
