import { randomUUID } from "node:crypto";
import { QueueEvents, type Job } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GantryError } from "../src/errors.js";
import { startWorkers, type JobDefinition } from "../src/queues.js";
import type { Services } from "../src/services.js";
import { useRedis } from "./helpers/redis.js";
import { testServices } from "./helpers/services.js";

type TestData = { name: string };

const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;
let cleanups: (() => Promise<void>)[] = [];

beforeEach(() => {
  ({ services, close } = testServices(url, {
    GANTRY_JOB_ATTEMPTS: "3",
    GANTRY_JOB_BACKOFF_MS: "10",
  }));
});

afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
  await close();
});

/**
 * Builds a job kind on a queue of its own that records each try and its
 * give-up in a Redis list, in order. `failOn` returns the error a try throws.
 */
function recordingJob(
  failOn: (attempt: number) => Error | undefined,
): JobDefinition<TestData> & { journal: string } {
  const queue = `{test-${randomUUID()}}`;
  const journal = `test:journal:${queue}`;
  return {
    queue,
    journal,
    options: {},
    async process(data, scoped, job) {
      const attempt = job.attemptsMade + 1;
      await scoped.redis.rpush(journal, `${data.name} try ${attempt}`);
      const error = failOn(attempt);
      if (error) throw error;
    },
    async giveUp(data, error, scoped) {
      await scoped.redis.rpush(
        journal,
        `${data.name} gave up: ${error.message}`,
      );
    },
  };
}

/** Starts a worker for the definition, adds one job and waits until it finishes. */
async function runToEnd(
  definition: JobDefinition<TestData>,
): Promise<{ job: Job<TestData>; outcome: "completed" | "failed" }> {
  const events = new QueueEvents(definition.queue, {
    connection: services.redis.duplicate(),
  });
  await events.waitUntilReady();
  const workers = startWorkers(
    [definition] as JobDefinition<never>[],
    services,
    services.redis,
  );
  cleanups.push(async () => {
    await workers.close();
    await events.close();
  });

  await services.queues.add(definition, { name: "job" }, "job:1");
  const job = (await services.queues
    .queue(definition.queue)
    .getJob("job.1")) as Job<TestData> | undefined;
  if (!job) throw new Error("job was not added");
  const outcome = await job.waitUntilFinished(events).then(
    () => "completed" as const,
    () => "failed" as const,
  );
  const finished = (await services.queues
    .queue(definition.queue)
    .getJob("job.1")) as Job<TestData>;
  return { job: finished, outcome };
}

async function journalOf(definition: { journal: string }): Promise<string[]> {
  return services.redis.lrange(definition.journal, 0, -1);
}

describe("startWorkers", () => {
  it("completes a job that succeeds", async () => {
    const definition = recordingJob(() => undefined);

    const { job, outcome } = await runToEnd(definition);

    expect(outcome).toBe("completed");
    expect(await job.getState()).toBe("completed");
    expect(await journalOf(definition)).toEqual(["job try 1"]);
  });

  it("ends a final GantryError at once", async () => {
    const definition = recordingJob(
      () =>
        new GantryError("not_found", "promotion prm_1 not found", {
          retryable: false,
        }),
    );

    const { job, outcome } = await runToEnd(definition);

    expect(outcome).toBe("failed");
    expect(await job.getState()).toBe("failed");
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toBe("promotion prm_1 not found");
    expect(await journalOf(definition)).toEqual([
      "job try 1",
      "job gave up: promotion prm_1 not found",
    ]);
  });

  it("gives up on a retryable error only after the last try", async () => {
    const definition = recordingJob(
      (attempt) =>
        new GantryError(
          "upstream_unavailable",
          `MLflow answered 503 on try ${attempt}`,
        ),
    );

    const { job, outcome } = await runToEnd(definition);

    expect(outcome).toBe("failed");
    expect(job.attemptsMade).toBe(3);
    expect(job.failedReason).toBe("MLflow answered 503 on try 3");
    expect(await journalOf(definition)).toEqual([
      "job try 1",
      "job try 2",
      "job try 3",
      "job gave up: MLflow answered 503 on try 3",
    ]);
  });

  it("retries an unexpected error", async () => {
    const definition = recordingJob((attempt) =>
      attempt < 3 ? new TypeError("socket hang up") : undefined,
    );

    const { job, outcome } = await runToEnd(definition);

    expect(outcome).toBe("completed");
    expect(job.attemptsMade).toBe(3);
    expect(await journalOf(definition)).toEqual([
      "job try 1",
      "job try 2",
      "job try 3",
    ]);
  });

  it("gives up once on a final error after retries", async () => {
    const definition = recordingJob((attempt) =>
      attempt === 1
        ? new GantryError("timeout", "GitHub request timed out")
        : new GantryError("upstream_rejected", "GitHub answered 422"),
    );

    const { job, outcome } = await runToEnd(definition);

    expect(outcome).toBe("failed");
    expect(job.attemptsMade).toBe(2);
    expect(await journalOf(definition)).toEqual([
      "job try 1",
      "job try 2",
      "job gave up: GitHub answered 422",
    ]);
  });
});
