/**
 * Measures Gantry's hot paths against baselines taken in the same run, so
 * the figures read as ratios on a shared, noisy machine:
 * - approval counting (Lua compare-and-set with audit events) against a
 *   bare Redis PING round trip on the same connection;
 * - rendering an approval card against JSON-encoding the same promotion.
 * Needs redis-server on the PATH (or REDIS_URL). Prints one JSON line per
 * measurement and a summary table.
 */
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import {
  hasRedisServer,
  startDevRedis,
  type DevRedis,
} from "../src/dev-redis.js";
import type { Promotion } from "../src/promotion.js";
import { PromotionStore } from "../src/store/promotion-store.js";
import { approvalCard } from "../templates/approval-card.js";

const ROUNDS = 5;

type Measurement = { name: string; opsPerSecond: number };

async function timed(
  name: string,
  operations: number,
  run: () => Promise<void>,
): Promise<Measurement> {
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  return { name, opsPerSecond: operations / seconds };
}

/** Returns the median of several rounds, which damps a noisy neighbour. */
async function median(
  name: string,
  operations: number,
  run: () => Promise<void>,
): Promise<Measurement> {
  const results: number[] = [];
  for (let round = 0; round < ROUNDS; round++)
    results.push((await timed(name, operations, run)).opsPerSecond);
  results.sort((a, b) => a - b);
  return { name, opsPerSecond: results[Math.floor(ROUNDS / 2)] ?? 0 };
}

function promotion(
  id: string,
): Omit<
  Promotion,
  "id" | "status" | "rev" | "createdAt" | "updatedAt" | "kind"
> & { id?: string } {
  return {
    model: "example-user/Hello-World:churn",
    modelName: "churn",
    repo: "example-user/Hello-World",
    installationId: 1,
    registryName: "churn-model",
    version: id,
    environment: "production",
    requestedBy: "U0000001",
    requiredApprovals: 3,
    approvers: [],
    channel: "C0RELEASES",
    metrics: Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`metric_${i}`, i / 7]),
    ),
    championVersion: "41",
    championMetrics: Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`metric_${i}`, i / 9]),
    ),
  };
}

async function main(): Promise<void> {
  let devRedis: DevRedis | undefined;
  let url = process.env.REDIS_URL;
  if (!url) {
    if (!hasRedisServer())
      throw new Error(
        "redis-server is not on the PATH and REDIS_URL is not set; install redis-server or set REDIS_URL",
      );
    devRedis = await startDevRedis();
    url = devRedis.url;
  }
  const redis = new Redis(`${url.replace(/\/\d+$/, "")}/15`, {
    maxRetriesPerRequest: null,
  });
  await redis.flushdb();
  const store = new PromotionStore(redis);

  const approvals = 2000;
  const ping = await median("redis ping (baseline)", approvals, async () => {
    for (let i = 0; i < approvals; i++) await redis.ping();
  });
  const approve = await median(
    "approval count (Lua CAS + audit)",
    approvals,
    async () => {
      const { promotion: created } = await store.create(
        promotion(`${Math.random()}`),
        `bench:${Math.random()}`,
      );
      for (let i = 0; i < approvals; i++)
        await store.approve(created.id, `U${i}`);
    },
  );

  const sample = (await store.create(promotion("42"), `bench:card`)).promotion;
  const approvers = Array.from({ length: 10 }, (_, i) => `U${i}`);
  const renders = 5000;
  const json = await median(
    "JSON.stringify promotion (baseline)",
    renders,
    async () => {
      for (let i = 0; i < renders; i++)
        JSON.stringify({ promotion: sample, approvers });
    },
  );
  const card = await median("approval card render", renders, async () => {
    for (let i = 0; i < renders; i++)
      approvalCard({ promotion: sample, approvedBy: approvers });
  });

  for (const measurement of [ping, approve, json, card])
    console.log(JSON.stringify(measurement));
  console.log("\nmeasurement                        ratio to its baseline");
  console.log(
    `approval count / redis ping        ${(approve.opsPerSecond / ping.opsPerSecond).toFixed(2)}`,
  );
  console.log(
    `card render / JSON.stringify       ${(card.opsPerSecond / json.opsPerSecond).toFixed(2)}`,
  );

  await redis.flushdb();
  redis.disconnect();
  devRedis?.stop();
}

await main();
