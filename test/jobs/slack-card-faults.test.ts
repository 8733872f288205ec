import { QueueEvents } from "bullmq";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackCardJob } from "../../jobs/slack-card.js";
import { startWorkers, type JobDefinition } from "../../src/queues.js";
import type { Services } from "../../src/services.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { SLACK_API, testServices } from "../helpers/services.js";

const { url } = useRedis();

let services: Services;
let close: () => Promise<void>;
let stopWorkers: () => Promise<void>;
let events: QueueEvents;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  stopWorkers = startWorkers(
    [slackCardJob] as JobDefinition<never>[],
    services,
    services.redis,
  ).close;
  events = new QueueEvents(slackCardJob.queue, {
    connection: services.redis.duplicate(),
  });
  await events.waitUntilReady();
});

afterEach(async () => {
  await stopWorkers();
  await events.close();
  await close();
});

/** Resolves when the job completes, or rejects when it fails for good. */
function finished(jobId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    events.on("completed", ({ jobId: id }) => id === jobId && resolve());
    events.on(
      "failed",
      ({ jobId: id, failedReason }) =>
        id === jobId && reject(new Error(failedReason)),
    );
  });
}

describe("slackCardJob faults", () => {
  it("waits out a 429 without using a try", async () => {
    const { promotion } = await services.store.create(
      newPromotion(),
      "slack:rate-limit",
    );
    const posts: string[] = [];
    nock(SLACK_API)
      .post("/api/chat.postMessage")
      .reply(429, { ok: false, error: "ratelimited" }, { "retry-after": "1" });
    nock(SLACK_API)
      .post("/api/chat.postMessage")
      .reply(200, (_uri, body) => {
        posts.push(body as string);
        return { ok: true, channel: "C0RELEASES", ts: "1715679100.000100" };
      });
    const done = finished(`card.${promotion.id}.created`);

    await services.queues.add(
      slackCardJob,
      { promotionId: promotion.id },
      `card:${promotion.id}:created`,
    );
    await done;

    const job = await services.queues
      .queue(slackCardJob.queue)
      .getJob(`card.${promotion.id}.created`);
    expect(posts).toHaveLength(1);
    expect(job?.attemptsStarted).toBe(2);
    expect(job?.attemptsMade).toBeLessThanOrEqual(1);
    expect((await services.store.get(promotion.id))?.messageTs).toBe(
      "1715679100.000100",
    );
  });

  it("reposts a card deleted in Slack", async () => {
    const { promotion } = await services.store.create(
      newPromotion(),
      "slack:deleted",
    );
    await services.store.setFields(promotion.id, {
      messageTs: "1715679000.000001",
    });
    nock(SLACK_API)
      .post("/api/chat.update")
      .reply(200, { ok: false, error: "message_not_found" });
    nock(SLACK_API)
      .post("/api/chat.postMessage")
      .reply(200, { ok: true, channel: "C0RELEASES", ts: "1715679200.000200" });
    const done = finished(`card.${promotion.id}.refresh`);

    await services.queues.add(
      slackCardJob,
      { promotionId: promotion.id },
      `card:${promotion.id}:refresh`,
    );
    await done;

    expect((await services.store.get(promotion.id))?.messageTs).toBe(
      "1715679200.000200",
    );
  });
});
