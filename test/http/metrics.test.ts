import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { metricsRouter } from "../../src/http/metrics.js";
import { testRedisUrl } from "../helpers/redis.js";
import { testServices } from "../helpers/services.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import { useGantryServer } from "../helpers/gantry-server.js";

const { server } = useGantryServer();

describe("GET /metrics", () => {
  it("reports queue depths and Redis", async () => {
    await server().services.queues.add(
      slackCardJob,
      { promotionId: "prm_metrics" },
      "card:prm_metrics:created",
      { delay: 60_000 },
    );

    const response = await fetch(`${server().url}/metrics`);
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(
      /^text\/plain; version=0\.0\.4/,
    );
    expect(text).toContain(
      'gantry_queue_jobs{queue="{slack-cards}",state="delayed"} 1',
    );
    expect(text).toContain(
      'gantry_queue_jobs{queue="{deployments}",state="waiting"} 0',
    );
    expect(text).toContain("gantry_redis_up 1");
    expect(text).toMatch(/^gantry_process_cpu_user_seconds_total /m);
  });

  it("requires METRICS_TOKEN when it is set", async () => {
    const { services, close } = testServices(testRedisUrl(), {
      METRICS_TOKEN: "metrics-token-0123456789",
    });
    const app = express().use(metricsRouter(services));
    const listening = app.listen(0, "127.0.0.1");
    await new Promise((resolve) => listening.once("listening", resolve));
    const url = `http://127.0.0.1:${(listening.address() as AddressInfo).port}/metrics`;

    const anonymous = await fetch(url);
    const authorized = await fetch(url, {
      headers: { authorization: "Bearer metrics-token-0123456789" },
    });

    expect(anonymous.status).toBe(401);
    expect(authorized.status).toBe(200);
    listening.close();
    await close();
  });
});
