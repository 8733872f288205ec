import {
  Queue,
  UnrecoverableError,
  Worker,
  type Job,
  type JobsOptions,
} from "bullmq";
import type { Redis } from "ioredis";
import { isGantryError } from "./errors.js";
import type { Logger } from "./logger.js";
import type { Services } from "./services.js";

/** One kind of background work: its queue, retry policy and processor. */
export type JobDefinition<Data> = {
  /** Queue name; the braces are a Redis Cluster hash tag for the queue's keys. */
  queue: string;
  options: JobsOptions;
  process: (data: Data, services: Services, job: Job<Data>) => Promise<void>;
  /** Runs once when the job will not be tried again, to record why. */
  giveUp?: (data: Data, error: Error, services: Services) => Promise<void>;
};

export type RetryPolicy = { attempts: number; delayMs: number };

/**
 * Adds jobs. A job id makes the add idempotent: BullMQ ignores an add whose
 * id is already queued, running or kept as completed.
 */
export class JobQueues {
  private readonly queues = new Map<string, Queue>();

  constructor(
    private readonly connection: Redis,
    private readonly retry: RetryPolicy,
  ) {}

  async add<Data>(
    definition: JobDefinition<Data>,
    data: Data,
    jobId: string,
  ): Promise<void> {
    await this.queue(definition.queue).add(definition.queue, data, {
      ...this.defaults(definition),
      jobId: jobId.replace(/:/g, "."),
    });
  }

  /** Returns the options a definition's jobs are added with. */
  defaults(definition: { options: JobsOptions }): JobsOptions {
    return {
      attempts: this.retry.attempts,
      backoff: { type: "exponential", delay: this.retry.delayMs },
      removeOnComplete: { age: 7 * 86_400, count: 10_000 },
      removeOnFail: { age: 30 * 86_400 },
      ...definition.options,
    };
  }

  queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.connection });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}

/**
 * Starts one worker per definition. A GantryError that is not retryable
 * ends the job at once; any other error is retried with backoff, and
 * `giveUp` runs when the last try fails.
 */
export function startWorkers(
  definitions: readonly JobDefinition<never>[],
  services: Services,
  connection: Redis,
): { workers: Worker[]; close: () => Promise<void> } {
  const connections: Redis[] = [];
  const workers = definitions.map((definition) => {
    const workerConnection = connection.duplicate();
    connections.push(workerConnection);
    workerConnection.on("error", (error) =>
      services.log.warn(
        { err: error, queue: definition.queue },
        "worker redis connection error",
      ),
    );
    const worker = new Worker(
      definition.queue,
      async (job: Job) =>
        runJob(definition as JobDefinition<unknown>, job, services),
      { connection: workerConnection, concurrency: 4 },
    );
    attachLogging(worker, services.log);
    return worker;
  });

  // BullMQ leaves a connection it was given open, so close them after the workers.
  const close = async () => {
    await Promise.all(workers.map((worker) => worker.close()));
    for (const workerConnection of connections) workerConnection.disconnect();
  };
  return { workers, close };
}

async function runJob(
  definition: JobDefinition<unknown>,
  job: Job,
  services: Services,
): Promise<void> {
  const log = services.log.child({
    queue: definition.queue,
    jobId: job.id,
    attempt: job.attemptsMade + 1,
  });
  const scoped = { ...services, log };
  try {
    await definition.process(job.data, scoped, job);
  } catch (error) {
    const final = isGantryError(error) && !error.retryable;
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if ((final || lastTry) && definition.giveUp) {
      await definition.giveUp(job.data, error as Error, scoped);
    }
    if (final) throw new UnrecoverableError((error as Error).message);
    throw error;
  }
}

function attachLogging(worker: Worker, log: Logger): void {
  worker.on("failed", (job, error) => {
    log.warn(
      {
        queue: worker.name,
        jobId: job?.id,
        attemptsMade: job?.attemptsMade,
        err: error,
      },
      "job failed",
    );
  });
  worker.on("error", (error) => {
    log.error({ queue: worker.name, err: error }, "worker error");
  });
}
