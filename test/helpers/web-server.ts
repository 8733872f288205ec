import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pino } from "pino";
import { afterEach, beforeEach } from "vitest";
import { slackHeaders } from "../../scripts/signing.js";
import { buildServices } from "../../src/runtime.js";
import { createWebServer } from "../../src/server.js";
import type { Services } from "../../src/services.js";
import { useRedis } from "./redis.js";
import { SIGNING_SECRET, testSettings } from "./settings.js";

export type RunningServer = { services: Services; url: string };

/**
 * Runs Gantry's web server in this process on a loopback port for each
 * test, on this file's test Redis database, which is emptied first.
 */
export function useWebServer(env: Record<string, string | undefined> = {}): {
  server: () => RunningServer;
} {
  const { url: redisUrl } = useRedis();
  let running: (RunningServer & { stop: () => Promise<void> }) | undefined;

  beforeEach(async () => {
    const settings = testSettings({ REDIS_URL: redisUrl, ...env });
    const log = pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" });
    const { services, probot } = buildServices(settings, log, redisUrl);
    const web = await createWebServer({ services, probot, serverDefaults: {} });
    const http = await new Promise<Server>((resolve) => {
      const listening = web.app.listen(0, "127.0.0.1", () =>
        resolve(listening),
      );
    });
    const { port } = http.address() as AddressInfo;

    running = {
      services,
      url: `http://127.0.0.1:${port}`,
      stop: async () => {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
        await web.close();
        await services.queues.close();
        services.redis.disconnect();
      },
    };
  });
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  return {
    server: () => {
      if (!running) throw new Error("useWebServer: no server outside a test");
      return running;
    },
  };
}

/**
 * Sends a signed /gantry slash command and returns the HTTP status and the
 * JSON body of Gantry's acknowledgement, which Slack would show.
 */
export async function sendGantryCommand(
  baseUrl: string,
  params: { text: string; user?: string; channel?: string },
): Promise<{ status: number; body: Record<string, any> }> {
  const body = new URLSearchParams({
    token: "verificationtokenplaceholder00",
    team_id: "T0000001",
    team_domain: "example-org",
    channel_id: params.channel ?? "C0000001",
    channel_name: "ml-releases",
    user_id: params.user ?? "U0000001",
    user_name: "example.user",
    command: "/gantry",
    text: params.text,
    api_app_id: "A0000001",
    is_enterprise_install: "false",
    response_url:
      "https://hooks.slack.com/commands/T0000001/0000000000001/placeholderResponseUrlToken1",
    trigger_id: "0000000000001.0000000001.placeholdertriggerid0000000001",
  }).toString();

  const response = await fetch(`${baseUrl}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...slackHeaders(body, SIGNING_SECRET),
    },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === "" ? {} : (JSON.parse(text) as Record<string, any>),
  };
}
