import { Router, type RequestHandler } from "express";
import { collectDefaultMetrics, Gauge, Registry } from "prom-client";
import { JOB_DEFINITIONS } from "../job-definitions.js";
import { redisAnswers } from "../redis.js";
import type { Services } from "../services.js";
import { bearerGuard } from "./bearer-guard.js";

export const METRICS_PATH = "/metrics";

/**
 * Queue counts wait for Redis, whose commands queue while it is down, so a
 * scrape gives up after this long instead of hanging.
 */
const SCRAPE_TIMEOUT_MS = 3000;

/** Job states reported per queue; BullMQ counts each with one call. */
const JOB_STATES = [
  "waiting",
  "active",
  "delayed",
  "failed",
  "completed",
] as const;

/**
 * Serves Prometheus metrics: the process's defaults, whether Redis answers,
 * and the jobs in each queue by state, read from Redis at scrape time so
 * every replica reports the same shared queues. Open when METRICS_TOKEN is
 * unset; with it set, a bearer token is required.
 */
export function metricsRouter(services: Services): Router {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "gantry_" });

  new Gauge({
    name: "gantry_redis_up",
    help: "1 when Redis answered PING within a second at scrape time, else 0",
    registers: [registry],
    async collect() {
      this.set((await redisAnswers(services.redis)) ? 1 : 0);
    },
  });
  new Gauge({
    name: "gantry_queue_jobs",
    help: "Jobs in each BullMQ queue by state, at scrape time",
    labelNames: ["queue", "state"],
    registers: [registry],
    async collect() {
      this.reset();
      for (const definition of JOB_DEFINITIONS) {
        const counts = await services.queues
          .queue(definition.queue)
          .getJobCounts(...JOB_STATES);
        for (const state of JOB_STATES) {
          this.set({ queue: definition.queue, state }, counts[state] ?? 0);
        }
      }
    },
  });

  const guards: RequestHandler[] = services.settings.metricsToken
    ? [
        bearerGuard({
          token: services.settings.metricsToken,
          variable: "METRICS_TOKEN",
          realm: "gantry-metrics",
        }),
      ]
    : [];
  const router = Router();
  router.get(METRICS_PATH, ...guards, async (_req, res) => {
    try {
      const body = await withTimeout(registry.metrics(), SCRAPE_TIMEOUT_MS);
      res.setHeader("content-type", registry.contentType);
      res.send(body);
    } catch (error) {
      services.log.warn({ err: error }, "metrics collection failed");
      res
        .status(503)
        .json({ error: "metrics are unavailable while Redis does not answer" });
    }
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
