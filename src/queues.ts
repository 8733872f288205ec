import {
  DelayedError,
  Queue,
  UnrecoverableError,
  Worker,
  type Job,
  type JobsOptions,
} from "bullmq";
import type { Redis } from "ioredis";
import { isGantryError, retryAfterMs } from "./errors.js";
import type { Logger } from "./logger.js";
import { throttledErrorLog } from "./redis.js";
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
    options: Pick<JobsOptions, "delay"> = {},
  ): Promise<void> {
    await this.queue(definition.queue).add(definition.queue, data, {
      ...this.defaults(definition),
      ...options,
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
 * ends the job at once. Any other error is retried with backoff, and
 * `giveUp` runs when the last try fails.
 */
export function startWorkers(
  definitions: readonly JobDefinition<never>[],
  services: Services,
  connection: Redis,
): { workers: Worker[]; close: (timeoutMs?: number) => Promise<void> } {
  const connections: Redis[] = [];
  const workers = definitions.map((definition) => {
    const workerConnection = connection.duplicate();
    connections.push(workerConnection);
    workerConnection.on(
      "error",
      throttledErrorLog(services.log, { queue: definition.queue }),
    );
    const worker = new Worker(
      definition.queue,
      async (job: Job, token?: string) =>
        runJob(definition as JobDefinition<unknown>, job, services, token),
      { connection: workerConnection, concurrency: 4 },
    );
    attachLogging(worker, services.log);
    return worker;
  });

  // BullMQ leaves a connection it was given open, so close them after the workers.
  // Workers finish their running jobs first, but not forever: with Redis
  // unreachable, closing would wait for it, so the wait is bounded.
  const close = async (timeoutMs = CLOSE_TIMEOUT_MS) => {
    const closed = await settlesWithin(
      Promise.all(workers.map((worker) => worker.close())),
      timeoutMs,
    );
    if (!closed) {
      services.log.warn(
        { timeoutMs },
        "workers did not close in time; disconnecting",
      );
    }
    for (const workerConnection of connections) workerConnection.disconnect();
  };
  return { workers, close };
}

/** How long closing waits for running jobs before it disconnects anyway. */
const CLOSE_TIMEOUT_MS = 10_000;

/** Resolves true when the promise settles within the time, false otherwise. */
async function settlesWithin(
  promise: Promise<unknown>,
  timeoutMs: number,
): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([
      promise.then(
        () => true,
        () => true,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Rate-limit waits allowed per try before a job fails like any other error. */
const MAX_RATE_LIMIT_WAITS_PER_TRY = 4;
const MAX_RATE_LIMIT_WAIT_MS = 10 * 60_000;

async function runJob(
  definition: JobDefinition<unknown>,
  job: Job,
  services: Services,
  token: string | undefined,
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
    // A 429 with Retry-After waits as long as asked, without using up a try.
    const wait = retryAfterMs(error);
    const attempts = job.opts.attempts ?? 1;
    if (
      wait !== undefined &&
      token &&
      job.attemptsStarted <= attempts * MAX_RATE_LIMIT_WAITS_PER_TRY
    ) {
      log.warn(
        { waitMs: wait },
        "rate limited; job delayed as the service asked",
      );
      await job.moveToDelayed(
        Date.now() + Math.min(wait, MAX_RATE_LIMIT_WAIT_MS),
        token,
      );
      throw new DelayedError();
    }

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
  // A worker reports every failed Redis call while Redis is down, so its
  // errors are logged like connection errors: the first, then one a minute.
  worker.on(
    "error",
    throttledErrorLog(log, { queue: worker.name, source: "worker" }),
  );
}
