import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { deploymentJob } from "../../jobs/deployment.js";
import {
  promotionRequestJob,
  type PromotionRequestData,
} from "../../jobs/promotion-request.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import {
  nockGetModelVersion,
  nockGetRun,
  nockGetVersionByAlias,
} from "../helpers/mlflow-api.js";
import { useRedis } from "../helpers/redis.js";
import { REPO, storeSampleConfig } from "../helpers/repo-config.js";
import {
  nockResponseUrl,
  nockSlackMethod,
  type SlackCall,
} from "../helpers/slack-api.js";
import { queuedJobs, testServices } from "../helpers/services.js";

/** Environments without `after`, so no stage order or soak applies. */
const CONFIG = `slack: { channel: C0RELEASES }
models:
  churn: { registry: churn-model }
environments:
  dev: { approvals: 0 }
  staging: { approvals: 2, approvers: [U0000002, U0000003] }
`;
const MODEL = `${REPO}:churn`;
const RESPONSE_URL =
  "https://hooks.slack.com/commands/T0000001/0000000000001/placeholderResponseUrlToken1";
const JOB = {} as never;

const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await storeSampleConfig(services.registry, { text: CONFIG });
});

afterEach(async () => {
  await close();
});

function request(
  overrides: Partial<PromotionRequestData> = {},
): PromotionRequestData {
  return {
    modelKey: MODEL,
    version: "42",
    environment: "staging",
    requestedBy: "U0000001",
    sourceChannel: "C0000001",
    responseUrl: RESPONSE_URL,
    requestKey: "slack:0000000000001.0000000001.placeholdertriggerid0000000001",
    ...overrides,
  };
}

/** Fakes MLflow for version 42 (run42) and the staging holder 41 (run41). */
function nockRegistry(environment = "staging") {
  nockGetModelVersion("churn-model", "42", { runId: "run42" });
  nockGetRun("run42", { accuracy: 0.934, latency_p99_ms: 1510 });
  nockGetVersionByAlias("churn-model", environment, {
    version: "41",
    runId: "run41",
  });
  nockGetRun("run41", { accuracy: 0.91, latency_p99_ms: 1800 });
}

describe("promotionRequestJob", () => {
  it("replies when the version is missing", async () => {
    nockGetModelVersion("churn-model", "42", "missing");
    const replies: unknown[] = [];
    nockResponseUrl(RESPONSE_URL, replies);

    await promotionRequestJob.process(request(), services, JOB);

    expect(replies).toEqual([
      {
        response_type: "ephemeral",
        replace_original: false,
        text: 'Version 42 of churn was not found in the model registry (MLflow model "churn-model"). Check the version number with the registry and try again.',
      },
    ]);
    expect(await services.redis.zcard(keys.promotionsByModel(MODEL))).toBe(0);
    expect(await queuedJobs(services, slackCardJob)).toEqual([]);
  });

  it("stores the promotion with both versions' metrics", async () => {
    nockRegistry();
    const replies: { text?: string }[] = [];
    nockResponseUrl(RESPONSE_URL, replies);

    await promotionRequestJob.process(request(), services, JOB);

    const [promotion, ...others] = await services.store.listByStatus(MODEL, [
      "pending_approval",
    ]);
    expect(others).toEqual([]);
    expect(promotion).toMatchObject({
      model: MODEL,
      modelName: "churn",
      repo: REPO,
      installationId: 4242,
      registryName: "churn-model",
      version: "42",
      environment: "staging",
      status: "pending_approval",
      requestedBy: "U0000001",
      requiredApprovals: 2,
      approvers: ["U0000002", "U0000003"],
      channel: "C0RELEASES",
      runId: "run42",
      metrics: { accuracy: 0.934, latency_p99_ms: 1510 },
      championVersion: "41",
      championMetrics: { accuracy: 0.91, latency_p99_ms: 1800 },
    });
    expect(replies.map((reply) => reply.text)).toEqual([
      `Promotion ${promotion?.id} of churn 42 to staging is open; its approval card is in <#C0RELEASES>.`,
    ]);
  });

  it("queues the card", async () => {
    nockRegistry();
    nockResponseUrl(RESPONSE_URL, []);

    await promotionRequestJob.process(request(), services, JOB);

    const [promotion] = await services.store.listByStatus(MODEL, [
      "pending_approval",
    ]);
    expect(await queuedJobs(services, slackCardJob)).toEqual([
      {
        id: `card.${promotion?.id}.created`,
        data: { promotionId: promotion?.id },
      },
    ]);
    expect(await queuedJobs(services, deploymentJob)).toEqual([]);
  });

  it("approves at once without required approvals", async () => {
    nockGetModelVersion("churn-model", "42", { runId: "run42" });
    nockGetRun("run42", { accuracy: 0.934 });
    nockGetVersionByAlias("churn-model", "dev", "unset");
    nockResponseUrl(RESPONSE_URL, []);

    await promotionRequestJob.process(
      request({ environment: "dev" }),
      services,
      JOB,
    );

    const [promotion] = await services.store.listByStatus(MODEL, ["approved"]);
    expect(promotion).toMatchObject({
      status: "approved",
      requiredApprovals: 0,
      championMetrics: {},
    });
    expect(promotion?.championVersion).toBeUndefined();
    expect(await queuedJobs(services, deploymentJob)).toEqual([
      {
        id: `deploy.${promotion?.id}`,
        data: { promotionId: promotion?.id },
      },
    ]);
    expect(await queuedJobs(services, slackCardJob)).toHaveLength(1);
  });

  it("opens one promotion for a retried request", async () => {
    nockRegistry();
    nockRegistry();
    const replies: unknown[] = [];
    nockResponseUrl(RESPONSE_URL, replies);

    await promotionRequestJob.process(request(), services, JOB);
    await promotionRequestJob.process(request(), services, JOB);

    expect(await services.redis.zcard(keys.promotionsByModel(MODEL))).toBe(1);
    expect(replies).toHaveLength(1);
    expect(await queuedJobs(services, slackCardJob)).toHaveLength(1);
  });

  it("replies in the channel when response_url fails", async () => {
    nockGetModelVersion("churn-model", "42", "missing");
    nock("https://hooks.slack.com")
      .post(new URL(RESPONSE_URL).pathname)
      .reply(404, "expired_url");
    const calls: SlackCall[] = [];
    nockSlackMethod(
      "chat.postEphemeral",
      { ok: true, message_ts: "1715679200.000100" },
      calls,
    );

    await promotionRequestJob.process(request(), services, JOB);

    expect(calls).toEqual([
      expect.objectContaining({
        channel: "C0000001",
        user: "U0000001",
        text: expect.stringContaining("Version 42 of churn was not found"),
      }),
    ]);
  });

  it("replies when the model is gone", async () => {
    const replies: { text?: string }[] = [];
    nockResponseUrl(RESPONSE_URL, replies);

    await promotionRequestJob.process(
      request({ modelKey: `${REPO}:fraud` }),
      services,
      JOB,
    );

    expect(replies.map((reply) => reply.text)).toEqual([
      `Model ${REPO}:fraud is no longer configured; check its repository's .github/gantry.yml.`,
    ]);
  });

  it("explains giving up to the requester", async () => {
    const replies: { text?: string }[] = [];
    nockResponseUrl(RESPONSE_URL, replies);

    await promotionRequestJob.giveUp?.(
      request(),
      new Error("MLflow answered 503 to GET model-versions/get"),
      services,
    );

    expect(replies.map((reply) => reply.text)).toEqual([
      `Gantry could not check ${MODEL} version 42 in the model registry (MLflow answered 503 to GET model-versions/get). Nothing was queued; try /promote again.`,
    ]);
  });
});
