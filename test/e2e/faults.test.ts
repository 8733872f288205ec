import { describe, expect, it } from "vitest";
import { SlackStandIn } from "../../scripts/stand-ins/slack-stand-in.js";
import type { RecordedRequest } from "../../scripts/stand-ins/stand-in-server.js";
import { keys } from "../../src/store/keys.js";
import {
  APPROVER,
  deploymentOf,
  deploymentRequests,
  postedCards,
  useGantry,
  waitForCardUpdate,
  waitForThreadReply,
} from "./use-gantry.js";

const { harness, redis, openStagingPromotion, promoteToDev, settle } =
  useGantry();

/** Returns the requests a stand-in received after the first `since` ones. */
function after(requests: RecordedRequest[], since: number): RecordedRequest[] {
  return requests.slice(since);
}

describe("faults", () => {
  it("retries MLflow after 500s", async () => {
    await promoteToDev("42");
    const since = harness().mlflow.requests.length;
    harness().mlflow.failNext("model-versions/get", 2, { status: 500 });

    const opened = await harness().openPromotion({ text: "churn 42 staging" });

    const lookups = after(harness().mlflow.requests, since).filter(
      (request) => request.route === "model-versions/get",
    );
    expect(lookups.map((request) => request.reply?.status)).toEqual([
      500, 500, 200,
    ]);
    expect(
      harness().findLogs("job failed", { queue: "{promotion-requests}" }),
    ).toHaveLength(2);
    expect(SlackStandIn.blocksText(opened.card)).toContain("*Version:*\n42");
  });

  it("retries MLflow after a timeout", async () => {
    await promoteToDev("42");
    const since = harness().mlflow.requests.length;
    // Hangs for longer than openPromotion waits for the card (20 s); the
    // client in src/clients/http.ts gives up after 10 s.
    harness().mlflow.failNext("model-versions/get", 1, {
      status: 500,
      delayMs: 30_000,
    });

    await harness().openPromotion({ text: "churn 42 staging" });

    const failures = harness().findLogs("job failed", {
      queue: "{promotion-requests}",
    });
    const lookups = after(harness().mlflow.requests, since).filter(
      (request) => request.route === "model-versions/get",
    );
    expect(failures).toHaveLength(1);
    expect(JSON.stringify(failures[0]?.err)).toContain("timed out");
    expect(lookups).toHaveLength(2);
    expect(lookups[1]?.reply?.status).toBe(200);
  });

  it("retries Slack and GitHub calls that hang", async () => {
    // Both hang for longer than the test waits (20 s). In dev, which needs no
    // approval, the card and the deployment are made at the same time, so
    // the two timeouts overlap.
    harness().slack.failNext("chat.postMessage", 1, {
      status: 500,
      delayMs: 30_000,
    });
    harness().github.failNext("repos.createDeployment", 1, {
      status: 500,
      delayMs: 30_000,
    });

    const opened = await harness().openPromotion({ text: "churn 42 dev" });
    await harness().waitForLogRecord(
      "deployment created",
      { promotionId: opened.promotionId },
      20_000,
    );
    await settle();

    expect(
      harness().findLogs("job failed", { queue: "{slack-cards}" }),
    ).toHaveLength(1);
    expect(
      harness().findLogs("job failed", { queue: "{deployments}" }),
    ).toHaveLength(1);
    expect(postedCards(harness(), "dev")).toEqual([opened.card]);
    expect(deploymentRequests(harness(), "dev")).toHaveLength(2);
    expect(deploymentOf(harness(), opened).environment).toBe("dev");
  });

  it("fails when GitHub keeps answering 500", async () => {
    const opened = await openStagingPromotion();
    harness().github.failNext("repos.createDeployment", 10, { status: 500 });

    await harness().pressButton({
      action: "promotion_approve",
      promotionId: opened.promotionId,
      user: APPROVER,
      messageTs: opened.ts,
    });
    const update = await waitForCardUpdate(harness(), opened, "Failed");
    await waitForThreadReply(harness(), opened, "failed:");

    const attempts = deploymentRequests(harness(), "staging");
    expect(attempts).toHaveLength(3);
    expect(attempts.map((request) => request.reply?.status)).toEqual([
      500, 500, 500,
    ]);
    expect(harness().github.deployments).toHaveLength(1);
    expect(SlackStandIn.blocksText(update)).toContain(
      "*Reason:* the GitHub deployment could not be created",
    );
    expect(
      await redis().hget(keys.promotion(opened.promotionId), "status"),
    ).toBe("failed");
  });

  it("posts the card once after a Slack 500", async () => {
    await promoteToDev("42");
    harness().slack.failNext("chat.postMessage", 1, {
      status: 500,
      body: { ok: false, error: "internal_error" },
    });

    const opened = await harness().openPromotion({ text: "churn 42 staging" });
    await settle();

    const attempts = harness()
      .slack.callsTo("chat.postMessage")
      .filter(
        (request) =>
          SlackStandIn.threadTs(request) === undefined &&
          SlackStandIn.text(request).includes("→ staging"),
      );
    expect(attempts.map((request) => request.reply?.status)).toEqual([
      500, 200,
    ]);
    expect(postedCards(harness(), "staging")).toEqual([opened.card]);
    expect(
      await redis().hget(keys.promotion(opened.promotionId), "messageTs"),
    ).toBe(opened.ts);
  });
});
