import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  promotionRequestJob,
  type PromotionRequestData,
} from "../../jobs/promotion-request.js";
import type { Services } from "../../src/services.js";
import {
  nockAlias,
  nockGetVersion,
  nockRunMetrics,
} from "../helpers/mlflow-nock.js";
import { useRedis } from "../helpers/redis.js";
import {
  INSTALLATION_ID,
  REPO,
  repoConfig,
  SAMPLE_CONFIG,
} from "../helpers/repo-config.js";
import { SLACK_API, testServices } from "../helpers/services.js";

const { url } = useRedis();
const RESPONSE_HOST = "https://hooks.slack.com";
const RESPONSE_PATH = "/commands/T0000001/1/test";

let services: Services;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await services.registry.storeRepo({
    repo: REPO,
    installationId: INSTALLATION_ID,
    config: repoConfig(SAMPLE_CONFIG),
  });
});

afterEach(async () => {
  await close();
});

function data(
  overrides: Partial<PromotionRequestData> = {},
): PromotionRequestData {
  return {
    modelKey: `${REPO}:churn`,
    version: "42",
    environment: "production",
    requestedBy: "U0000001",
    sourceChannel: "C0000001",
    responseUrl: `${RESPONSE_HOST}${RESPONSE_PATH}`,
    requestKey: "slack:trigger-plan",
    ...overrides,
  };
}

function captureReply(status = 200): { bodies: Record<string, unknown>[] } {
  const bodies: Record<string, unknown>[] = [];
  nock(RESPONSE_HOST)
    .post(RESPONSE_PATH)
    .reply(status, (_uri, body) => {
      bodies.push(body as Record<string, unknown>);
      return status === 200 ? "ok" : "expired_url";
    });
  return { bodies };
}

describe("promotionRequestJob", () => {
  it("replies with the plan and opens nothing", async () => {
    nockGetVersion({ version: "42" });
    nockRunMetrics("run42", { accuracy: 0.934, latency_p99_ms: 1510 });
    nockAlias({ alias: "production", version: "41" });
    nockRunMetrics("run41", { accuracy: 0.91 });
    const { bodies } = captureReply();

    await promotionRequestJob.process(
      data({ plan: true }),
      services,
      {} as never,
    );

    expect(bodies[0]?.text).toBe("Plan: churn 42 → production");
    expect(JSON.stringify(bodies[0]?.blocks)).toContain(
      "canary steps 5 % → 25 % → 50 % → 100 %",
    );
    expect(JSON.stringify(bodies[0]?.blocks)).toContain(
      "has not succeeded in staging",
    );
    expect(
      await services.store.listByStatus(`${REPO}:churn`, ["pending_approval"]),
    ).toEqual([]);
  });

  it("replies with blockers and their fixes", async () => {
    nockGetVersion({ version: "42" });
    nockRunMetrics("run42", { accuracy: 0.934 });
    nockAlias({ alias: "production" });
    const { bodies } = captureReply();

    await promotionRequestJob.process(data(), services, {} as never);

    expect(bodies[0]?.text).toBe(
      "churn 42 cannot be promoted to production now: version 42 of churn has not succeeded in staging, which comes before production",
    );
    expect(JSON.stringify(bodies[0]?.blocks)).toContain(
      "/promote churn 42 staging",
    );
  });

  it("falls back to postEphemeral when response_url expired", async () => {
    nockGetVersion({ version: "77", found: false });
    captureReply(404);
    const ephemeral: string[] = [];
    nock(SLACK_API)
      .post("/api/chat.postEphemeral")
      .reply(200, (_uri, body) => {
        ephemeral.push(body as string);
        return { ok: true, message_ts: "1.2" };
      });

    await promotionRequestJob.process(
      data({ version: "77", environment: "dev" }),
      services,
      {} as never,
    );

    const form = new URLSearchParams(ephemeral[0]);
    expect(form.get("channel")).toBe("C0000001");
    expect(form.get("user")).toBe("U0000001");
    expect(form.get("text")).toMatch(
      /^Version 77 of churn was not found in the model registry/,
    );
  });
});
