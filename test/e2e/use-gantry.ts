import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterEach, beforeEach } from "vitest";
import {
  Harness,
  type HarnessOptions,
  type OpenedPromotion,
} from "../../scripts/harness.js";
import type { StoredDeployment } from "../../scripts/stand-ins/github-stand-in.js";
import { SlackStandIn } from "../../scripts/stand-ins/slack-stand-in.js";
import type { RecordedRequest } from "../../scripts/stand-ins/stand-in-server.js";
import { useRedis } from "../helpers/redis.js";

export const REQUESTER = "U0000001";
/** Named in the staging approvers of the harness's .github/gantry.yml. */
export const APPROVER = "U0000002";

export type Gantry = {
  harness: () => Harness;
  redis: () => Redis;
  /** Waits until Gantry's queues are idle; see waitForIdleQueues. */
  settle: () => Promise<Record<string, number>>;
  /** Plays churn `version` to dev (see Harness.promoteToDev) and lets it settle. */
  promoteToDev: (version?: string) => Promise<OpenedPromotion>;
  /** Promotes churn 42 to dev, then opens its promotion to staging with /promote. */
  openStagingPromotion: (params?: {
    user?: string;
  }) => Promise<OpenedPromotion>;
};

/**
 * Starts a fresh Gantry process and stand-ins for each test, on this file's
 * test Redis database, which is emptied first. When a test fails, the last
 * Gantry log lines are printed.
 */
export function useGantry(
  options: Omit<HarnessOptions, "redisUrl"> = {},
): Gantry {
  const { redis, url } = useRedis();
  let current: Harness | undefined;

  beforeEach(async ({ onTestFailed }) => {
    current = new Harness({ ...options, redisUrl: url });
    const started = current;
    onTestFailed(() => {
      console.error(
        `Gantry's last log lines:\n${started.logs.slice(-40).join("\n")}`,
      );
    });
    await current.start();
  });
  afterEach(async () => {
    await current?.stop();
    current = undefined;
  });

  const harness = () => {
    if (!current)
      throw new Error("useGantry: harness() was called outside a test");
    return current;
  };
  const settle = () => waitForIdleQueues(redis());
  const promoteToDev = async (version = "42") => {
    const opened = await harness().promoteToDev(version);
    // The dev card's last thread replies are still queued, and a fault
    // armed for the next step must not hit them.
    await settle();
    return opened;
  };
  const openStagingPromotion = async (params: { user?: string } = {}) => {
    await promoteToDev("42");
    return harness().openPromotion({
      text: "churn 42 staging",
      user: params.user,
    });
  };
  return { harness, redis, settle, promoteToDev, openStagingPromotion };
}

/** Returns a new X-GitHub-Delivery id. */
export function deliveryId(): string {
  return randomUUID();
}

/** Presses Approve as `APPROVER` and waits until the promotion is deploying. */
export async function approveAndDeploy(
  harness: Harness,
  opened: OpenedPromotion,
): Promise<StoredDeployment> {
  await harness.pressButton({
    action: "promotion_approve",
    promotionId: opened.promotionId,
    user: APPROVER,
    messageTs: opened.ts,
  });
  await harness.waitForLogRecord(
    "deployment created",
    { promotionId: opened.promotionId },
    20_000,
  );
  return deploymentOf(harness, opened);
}

/** Returns the deployment the GitHub stand-in stored for a promotion. */
export function deploymentOf(
  harness: Harness,
  opened: OpenedPromotion,
): StoredDeployment {
  const deployment = harness.github.deployments.find(
    (candidate) => candidate.payload.promotion_id === opened.promotionId,
  );
  if (!deployment)
    throw new Error(
      `the GitHub stand-in has no deployment for ${opened.promotionId}`,
    );
  return deployment;
}

/** Returns the createDeployment calls for an environment. */
export function deploymentRequests(
  harness: Harness,
  environment: string,
): RecordedRequest[] {
  return harness.github
    .callsTo("repos.createDeployment")
    .filter(
      (request) =>
        (request.body as { environment?: string }).environment === environment,
    );
}

/** Returns the MLflow calls that moved an alias. */
export function aliasMoves(harness: Harness, alias: string): RecordedRequest[] {
  return harness.mlflow
    .callsTo("registered-models/alias POST")
    .filter((request) => (request.body as { alias?: string }).alias === alias);
}

/** Sends a signed deployment_status webhook for a deployment. */
export async function sendDeploymentStatus(
  harness: Harness,
  params: {
    deployment: StoredDeployment;
    state: "success" | "failure" | "in_progress";
    deliveryId?: string;
  },
): Promise<Response> {
  return harness.webhook(
    "deployment_status",
    harness.deploymentStatusPayload({
      deploymentId: params.deployment.id,
      state: params.state,
    }),
    params.deliveryId ?? deliveryId(),
  );
}

/** Waits for a reply in the card's thread whose text contains `text`. */
export async function waitForThreadReply(
  harness: Harness,
  opened: OpenedPromotion,
  text: string,
): Promise<RecordedRequest> {
  return harness.slack.waitFor(
    (request) =>
      request.route === "chat.postMessage" &&
      SlackStandIn.threadTs(request) === opened.ts &&
      SlackStandIn.text(request).includes(text),
    20_000,
    `a thread reply containing "${text}"`,
  );
}

/** Waits for a chat.update of the card whose blocks contain `text`. */
export async function waitForCardUpdate(
  harness: Harness,
  opened: OpenedPromotion,
  text: string,
): Promise<RecordedRequest> {
  return harness.slack.waitFor(
    (request) =>
      request.route === "chat.update" &&
      (request.body as { ts?: string }).ts === opened.ts &&
      SlackStandIn.blocksText(request).includes(text),
    20_000,
    `a card update containing "${text}"`,
  );
}

/** Returns the replies posted in the card's thread. */
export function threadReplies(
  harness: Harness,
  opened: OpenedPromotion,
): RecordedRequest[] {
  return harness.slack
    .callsTo("chat.postMessage")
    .filter((request) => SlackStandIn.threadTs(request) === opened.ts);
}

/** Returns the cards (top-level messages) for an environment that the Slack stand-in accepted. */
export function postedCards(
  harness: Harness,
  environment: string,
): RecordedRequest[] {
  return harness.slack.requests.filter(
    (request) =>
      SlackStandIn.isPostedCard(request) &&
      SlackStandIn.text(request).includes(`→ ${environment}`),
  );
}

/** Job states in which a job still has work to do, retries waiting on backoff included. */
const UNFINISHED_STATES = [
  "active",
  "wait",
  "delayed",
  "prioritized",
  "waiting-children",
] as const;

/**
 * Waits until no BullMQ queue in the test database has unfinished jobs, twice
 * in a row, because a finishing job may add one to a queue already checked.
 * Returns each queue's completed job count by queue name.
 */
export async function waitForIdleQueues(
  redis: Redis,
  timeoutMs = 20_000,
): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let idlePasses = 0;
  for (;;) {
    const names = (await redis.keys("bull:*:meta")).map((key) =>
      key.slice("bull:".length, -":meta".length),
    );
    const queues = names.map((name) => new Queue(name, { connection: redis }));
    try {
      const counts = await Promise.all(
        queues.map((queue) => queue.getJobCounts(...UNFINISHED_STATES)),
      );
      const busy = counts.some((count) =>
        Object.values(count).some((value) => value > 0),
      );
      idlePasses = busy ? 0 : idlePasses + 1;
      if (idlePasses === 2) {
        const completed = await Promise.all(
          queues.map((queue) => queue.getCompletedCount()),
        );
        return Object.fromEntries(
          names.map((name, index) => [name, completed[index] ?? 0]),
        );
      }
    } finally {
      await Promise.all(queues.map((queue) => queue.close()));
    }
    if (Date.now() > deadline)
      throw new Error(`Gantry's queues were still busy after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
