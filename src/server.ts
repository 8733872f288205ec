import type { Server } from "node:http";
import { App, ExpressReceiver } from "@slack/bolt";
import express, { type Express } from "express";
import type { Probot } from "probot";
import { alertsRouter } from "../handlers/alerts/index.js";
import { githubApp } from "../handlers/github/index.js";
import { registerSlackHandlers } from "../handlers/slack/index.js";
import { auditExportRouter } from "./http/audit-export.js";
import { errorHandler } from "./http/error-handler.js";
import { metricsRouter } from "./http/metrics.js";
import { githubGuard } from "./http/github-guard.js";
import { slackGuard } from "./http/slack-guard.js";
import { redisAnswers } from "./redis.js";
import type { Services } from "./services.js";
import { slackLogger } from "./slack-logger.js";

export const WEBHOOKS_PATH = "/api/github/webhooks";
export const SLACK_EVENTS_PATH = "/slack/events";

export type WebServer = {
  app: Express;
  slack: App;
  close: () => Promise<void>;
};

/**
 * Builds the one HTTP server: Probot's webhook middleware, Bolt's receiver
 * (or Socket Mode), health and readiness. Nothing listens until `listen`.
 */
export async function createWebServer(params: {
  services: Services;
  probot: Probot;
  serverDefaults: unknown;
}): Promise<WebServer> {
  const { services, probot } = params;
  const app = express();
  app.disable("x-powered-by");

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const ready = await redisAnswers(services.redis);
    res
      .status(ready ? 200 : 503)
      .json({ status: ready ? "ready" : "redis unavailable" });
  });
  // Before Probot's catch-all middleware; the router parses only its own JSON bodies.
  app.use(alertsRouter(services));
  app.use(auditExportRouter(services));
  app.use(metricsRouter(services));

  await mountGitHub(app, probot, services, params.serverDefaults);
  const slack = await mountSlack(app, services);
  app.use(errorHandler(services.log));

  const close = async (): Promise<void> => {
    // Only Socket Mode opened a connection of Bolt's own; the HTTP receiver shares our server.
    if (services.settings.slack.appToken) await slack.stop();
  };
  return { app, slack, close };
}

async function mountGitHub(
  app: Express,
  probot: Probot,
  services: Services,
  serverDefaults: unknown,
): Promise<void> {
  await probot.load(githubApp(services, serverDefaults));
  const middleware = await probot.getNodeMiddleware({ path: WEBHOOKS_PATH });

  app.post(
    WEBHOOKS_PATH,
    express.raw({ type: () => true, limit: "25mb" }),
    githubGuard(services.settings.github.webhookSecret),
  );
  app.use((req, res, next) => {
    void middleware(req, res, next);
  });
}

async function mountSlack(app: Express, services: Services): Promise<App> {
  const { slack } = services.settings;
  const logger = slackLogger(services.log.child({ component: "bolt" }));
  const common = {
    logger,
    ignoreSelf: false,
    clientOptions: { slackApiUrl: slack.apiUrl },
    authorize: async () => ({ botToken: slack.botToken }),
  };

  if (slack.appToken) {
    const bolt = new App({
      ...common,
      socketMode: true,
      appToken: slack.appToken,
    });
    registerSlackHandlers(bolt, services);
    await bolt.start();
    return bolt;
  }

  const signingSecret = slack.signingSecret ?? "";
  app.post(
    SLACK_EVENTS_PATH,
    express.raw({ type: () => true, limit: "1mb" }),
    slackGuard(signingSecret),
  );
  const receiver = new ExpressReceiver({
    signingSecret,
    endpoints: SLACK_EVENTS_PATH,
    app,
    logger,
  });
  const bolt = new App({ ...common, receiver });
  registerSlackHandlers(bolt, services);
  return bolt;
}

/** Starts listening and resolves with the bound port. */
export function listen(app: Express, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, () => resolve(server));
    server.once("error", reject);
  });
}
