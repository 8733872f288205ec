import nock from "nock";
import { describe, expect, it } from "vitest";
import { githubSignature } from "../../scripts/signing.js";
import { readJsonFixture } from "../../scripts/fixtures.js";
import { promotionExpiryJob } from "../../jobs/promotion-expiry.js";
import { buttonClick, testBolt } from "../helpers/bolt.js";
import { useGantryServer } from "../helpers/gantry-server.js";
import {
  nockAlias,
  nockGetVersion,
  nockRunMetrics,
} from "../helpers/mlflow-nock.js";
import { newPromotion } from "../helpers/promotions.js";
import {
  INSTALLATION_ID,
  REPO,
  repoConfig,
  SAMPLE_CONFIG,
} from "../helpers/repo-config.js";
import { WEBHOOK_SECRET } from "../helpers/settings.js";

const { server } = useGantryServer();
const RESPONSE_URL = "https://hooks.slack.com/actions/T0000001/2/extras";

describe("deployment_protection_rule webhook", () => {
  it("queues one request per delivery", async () => {
    const payload = readJsonFixture<Record<string, any>>(
      "github/deployment_protection_rule.requested.json",
    );
    payload.installation = {
      id: INSTALLATION_ID,
      node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==",
    };
    const body = JSON.stringify(payload);
    const send = () =>
      fetch(`${server().url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "deployment_protection_rule",
          "x-github-delivery": "protection-delivery-1",
          "x-hub-signature-256": githubSignature(body, WEBHOOK_SECRET),
        },
        body,
      });

    const first = await send();
    const second = await send();

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    const jobs = await server()
      .services.queues.queue("{protection-rules}")
      .getJobs(["waiting", "active", "completed"]);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.data).toMatchObject({
      repo: "example-user/Hello-World",
      environment: "production",
      workflowRunId: 289782451,
      callbackUrl:
        "https://api.github.com/repos/example-user/Hello-World/actions/runs/289782451/deployment_protection_rule",
      sender: "example-user",
    });
  });
});

describe("promotion expiry", () => {
  it("expires a pending release once", async () => {
    const { services } = server();
    const { promotion } = await services.store.create(
      newPromotion(),
      "slack:expiry",
    );

    await promotionExpiryJob.process(
      { promotionId: promotion.id },
      services,
      {} as never,
    );
    await promotionExpiryJob.process(
      { promotionId: promotion.id },
      services,
      {} as never,
    );

    const stored = await services.store.get(promotion.id);
    expect(stored?.status).toBe("expired");
    expect(stored?.reason).toBe("no decision before the approval timeout");
    const cards = await services.queues
      .queue("{slack-cards}")
      .getJobs(["waiting"]);
    expect(cards.map((job) => job.id)).toEqual([
      `card.${promotion.id}.expired`,
    ]);
  });

  it("leaves a decided promotion alone", async () => {
    const { services } = server();
    const { promotion } = await services.store.create(
      newPromotion({ requiredApprovals: 1 }),
      "slack:decided",
    );
    await services.store.approve(promotion.id, "U0000002");

    await promotionExpiryJob.process(
      { promotionId: promotion.id },
      services,
      {} as never,
    );

    expect((await services.store.get(promotion.id))?.status).toBe("approved");
  });
});

describe("preview button", () => {
  it("shows the plan to the clicker only", async () => {
    const { services } = server();
    await services.registry.storeRepo({
      repo: REPO,
      installationId: INSTALLATION_ID,
      config: repoConfig(SAMPLE_CONFIG),
    });
    const { promotion } = await services.store.create(
      newPromotion({ environment: "production", model: `${REPO}:churn` }),
      "slack:preview",
    );
    nockGetVersion({ version: "42" });
    nockRunMetrics("run42", { accuracy: 0.934, latency_p99_ms: 1510 });
    nockAlias({ alias: "production", version: "41" });
    nockRunMetrics("run41", { accuracy: 0.91 });
    const replies: Record<string, unknown>[] = [];
    nock("https://hooks.slack.com")
      .post("/actions/T0000001/2/extras")
      .reply(200, (_uri, body) => {
        replies.push(body as Record<string, unknown>);
        return "ok";
      });

    await testBolt(services).dispatch(
      buttonClick({
        action: "promotion_preview",
        promotionId: promotion.id,
        user: "U0000009",
        responseUrl: RESPONSE_URL,
      }),
    );

    expect(replies[0]?.response_type).toBe("ephemeral");
    expect(replies[0]?.replace_original).toBe(false);
    expect(replies[0]?.text).toBe("Plan: churn 42 → production");
    expect(JSON.stringify(replies[0]?.blocks)).toContain(
      "moves from version 41 to version 42 after success",
    );
    expect(await services.store.get(promotion.id)).toMatchObject({
      status: "pending_approval",
      rev: promotion.rev,
    });
  });
});
