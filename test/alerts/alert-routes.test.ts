import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { alertEventJob } from "../../jobs/alert-event.js";
import { readJsonFixture } from "../../scripts/fixtures.js";
import { slackHeaders } from "../../scripts/signing.js";
import { loadSettings } from "../../src/config/env.js";
import { buildServices } from "../../src/runtime.js";
import { createWebServer } from "../../src/server.js";
import type { Services } from "../../src/services.js";
import { useRedis } from "../helpers/redis.js";
import { ALERTS_TOKEN, alertEnv } from "./alert-helpers.js";
import { pino } from "pino";

const { url: redisUrl } = useRedis();

type Running = { services: Services; url: string; stop: () => Promise<void> };

/** Runs the whole web server in this process on a loopback port. */
async function startServer(env: Record<string, string | undefined>) {
  const settings = loadSettings(alertEnv({ REDIS_URL: redisUrl, ...env }));
  const log = pino({ level: "silent" });
  const { services, probot } = buildServices(settings, log, redisUrl);
  const web = await createWebServer({ services, probot, serverDefaults: {} });
  const http = await new Promise<Server>((resolve) => {
    const listening = web.app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const { port } = http.address() as AddressInfo;
  return {
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
  } satisfies Running;
}

function post(
  url: string,
  body: string,
  headers: Record<string, string> = { authorization: `Bearer ${ALERTS_TOKEN}` },
) {
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
}

async function queuedJobs(services: Services) {
  const jobs = await services.queues
    .queue(alertEventJob.queue)
    .getJobs(["waiting", "delayed", "prioritized"]);
  return jobs.map((job) => job.id).sort();
}

const ALERTMANAGER_BODY = JSON.stringify(
  readJsonFixture("alerts/alertmanager.v4.firing.json"),
);

describe("alert endpoints", () => {
  let server: Running;
  beforeEach(async () => {
    server = await startServer({});
  });
  afterEach(async () => {
    await server.stop();
  });

  it("queues one job per Alertmanager alert", async () => {
    const response = await post(
      `${server.url}/alerts/alertmanager`,
      ALERTMANAGER_BODY,
    );

    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ queued: 2, truncatedAlerts: 0 });
    expect(await queuedJobs(server.services)).toEqual([
      "alert.3c1f0a9b7d2e4f61.firing.2024-05-14T09.30.00.000Z",
      "alert.9e8d7c6b5a403f21.firing.2024-05-14T09.41.30.000Z",
    ]);
  });

  it("queues a redelivered webhook once", async () => {
    await post(`${server.url}/alerts/alertmanager`, ALERTMANAGER_BODY);
    const again = await post(
      `${server.url}/alerts/alertmanager`,
      ALERTMANAGER_BODY,
    );

    expect(again.status).toBe(202);
    expect(await queuedJobs(server.services)).toHaveLength(2);
  });

  it("queues Grafana alerts with their links", async () => {
    const response = await post(
      `${server.url}/alerts/grafana`,
      JSON.stringify(readJsonFixture("alerts/grafana.unified.firing.json")),
    );

    expect(response.status).toBe(202);
    const job = await server.services.queues
      .queue(alertEventJob.queue)
      .getJob("alert.5f2a7c9e11d04b3a.firing.2024-05-14T09.30.00Z");
    expect(job?.data.alert.source).toBe("grafana");
    expect(job?.data.alert.links).toEqual({
      source:
        "https://grafana.example.com/alerting/grafana/fdrift0001/view?orgId=1",
      dashboard: "https://grafana.example.com/d/mlmon0001?orgId=1",
      panel: "https://grafana.example.com/d/mlmon0001?orgId=1&viewPanel=4",
      runbook: "https://runbooks.example.com/ml/feature-drift",
      silence:
        "https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DModelFeatureDrift&matcher=model%3Dchurn&orgId=1",
      sender: "https://grafana.example.com/",
    });
  });

  it.each([
    ["no Authorization header", {}],
    ["a wrong token", { authorization: "Bearer not-the-alerts-token-000" }],
    ["a Basic scheme", { authorization: `Basic ${ALERTS_TOKEN}` }],
  ])("rejects %s with 401", async (_case, headers) => {
    const response = await post(
      `${server.url}/alerts/alertmanager`,
      ALERTMANAGER_BODY,
      headers,
    );

    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect(await queuedJobs(server.services)).toEqual([]);
  });

  it("answers 401 before reading an invalid body", async () => {
    const response = await post(`${server.url}/alerts/grafana`, "{", {});

    expect(response.status).toBe(401);
  });

  it("rejects invalid JSON with 400", async () => {
    const response = await post(`${server.url}/alerts/alertmanager`, "{");

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^body is not valid JSON/,
    );
  });

  it.each([
    ["version", { version: "3" }, 'version: must be "4"'],
    ["alerts", { alerts: undefined }, "alerts: Invalid input"],
    [
      "status",
      {
        alerts: [
          { status: "pending", labels: {}, startsAt: "2024-05-14T09:30:00Z" },
        ],
      },
      'alerts[0].status: must be "firing" or "resolved"',
    ],
    [
      "startsAt",
      { alerts: [{ status: "firing", labels: {}, startsAt: "yesterday" }] },
      "alerts[0].startsAt: must be an RFC 3339 time",
    ],
    [
      "labels",
      {
        alerts: [
          {
            status: "firing",
            labels: { a: 1 },
            startsAt: "2024-05-14T09:30:00Z",
          },
        ],
      },
      "alerts[0].labels.a: must be a string",
    ],
    [
      "fingerprint",
      {
        alerts: [
          {
            status: "firing",
            labels: {},
            startsAt: "2024-05-14T09:30:00Z",
            fingerprint: "../../etc",
          },
        ],
      },
      "alerts[0].fingerprint: must be 1 to 128 letters",
    ],
  ])("names an invalid %s in the 400", async (_field, change, message) => {
    const body = {
      ...readJsonFixture("alerts/alertmanager.v4.firing.json"),
      ...change,
    };

    const response = await post(
      `${server.url}/alerts/alertmanager`,
      JSON.stringify(body),
    );

    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toContain(
      message,
    );
    expect(await queuedJobs(server.services)).toEqual([]);
  });

  it("leaves the Slack route its raw body", async () => {
    const body = "command=%2Fpromote&text=churn";
    const response = await fetch(`${server.url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...slackHeaders(body, "not-the-signing-secret-00000"),
      },
      body,
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: "X-Slack-Signature does not match the request body",
    });
  });
});

describe("alert endpoints without ALERTS_TOKEN", () => {
  let server: Running;
  beforeEach(async () => {
    server = await startServer({ ALERTS_TOKEN: undefined });
  });
  afterEach(async () => {
    await server.stop();
  });

  it("answers 503 saying to set the token", async () => {
    const response = await post(
      `${server.url}/alerts/alertmanager`,
      ALERTMANAGER_BODY,
    );

    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toContain(
      "set ALERTS_TOKEN",
    );
    expect(await queuedJobs(server.services)).toEqual([]);
  });
});
