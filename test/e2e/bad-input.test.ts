import { describe, expect, it } from "vitest";
import { readFixture } from "../../scripts/fixtures.js";
import { SIGNING_SECRET, WEBHOOK_SECRET } from "../../scripts/harness.js";
import { githubSignature, slackHeaders } from "../../scripts/signing.js";
import { SlackStandIn } from "../../scripts/stand-ins/slack-stand-in.js";
import { keys } from "../../src/store/keys.js";
import {
  aliasMoves,
  approveAndDeploy,
  deliveryId,
  postedCards,
  sendDeploymentStatus,
  useGantry,
  waitForThreadReply,
} from "./use-gantry.js";

const { harness, redis, openStagingPromotion } = useGantry();

const FORM = "application/x-www-form-urlencoded";

/** Builds a /promote form body as Slack sends it, with a response_url on the stand-in. */
function promoteForm(text: string): string {
  const form = new URLSearchParams(
    readFixture("slack/slash_command.promote.txt"),
  );
  form.set("text", text);
  form.set("trigger_id", `${Date.now()}.0000000001.badinput`);
  form.set("response_url", harness().slack.responseUrl("bad-input"));
  return form.toString();
}

type ErrorBody = { error?: string };

describe("slack guard", () => {
  it.each([
    {
      name: "wrong signature",
      headers: (body: string) => slackHeaders(body, "not-the-signing-secret"),
      error: "X-Slack-Signature does not match",
    },
    {
      name: "stale timestamp",
      headers: (body: string) =>
        slackHeaders(body, SIGNING_SECRET, Math.floor(Date.now() / 1000) - 600),
      error: "more than 5 minutes from now",
    },
    {
      name: "missing signature",
      headers: (body: string) => {
        const { "x-slack-request-timestamp": timestamp = "" } = slackHeaders(
          body,
          SIGNING_SECRET,
        );
        return { "x-slack-request-timestamp": timestamp };
      },
      error: "missing X-Slack-Request-Timestamp or X-Slack-Signature",
    },
  ])("rejects $name with 401", async ({ headers, error }) => {
    const body = promoteForm("churn 41 dev");

    const response = await harness().postSlack(body, FORM, headers(body));
    const answer = (await response.json()) as ErrorBody;
    // A signed request sent after the rejected one; its card marks the point
    // by which the rejected request would have had its effect.
    const barrier = await harness().openPromotion({ text: "churn 42 dev" });

    expect(response.status).toBe(401);
    expect(answer.error).toContain(error);
    expect(harness().findLogs("promotion requested")).toHaveLength(1);
    expect(postedCards(harness(), "dev")).toEqual([barrier.card]);
    expect(harness().slack.callsTo("response_url")).not.toContainEqual(
      expect.objectContaining({ path: "/response/bad-input" }),
    );
  });

  it("rejects a malformed payload with 400", async () => {
    const body = `payload=${encodeURIComponent("{not json")}`;

    const response = await harness().postSlack(
      body,
      FORM,
      slackHeaders(body, SIGNING_SECRET),
    );
    const answer = (await response.json()) as ErrorBody;

    expect(response.status).toBe(400);
    expect(answer.error).toContain("`payload` must be a JSON object");
    expect(harness().slack.requests).toEqual([]);
  });
});

describe("github guard", () => {
  it("rejects wrong and missing signatures with 401", async () => {
    const opened = await openStagingPromotion();
    const deployment = await approveAndDeploy(harness(), opened);
    const payload = harness().deploymentStatusPayload({
      deploymentId: deployment.id,
      state: "success",
    });
    const body = JSON.stringify(payload);
    const wrongDelivery = deliveryId();
    const missingDelivery = deliveryId();

    const wrong = await harness().postWebhook(body, {
      "x-github-event": "deployment_status",
      "x-github-delivery": wrongDelivery,
      "x-hub-signature-256": githubSignature(body, "not-the-webhook-secret"),
    });
    const missing = await harness().postWebhook(body, {
      "x-github-event": "deployment_status",
      "x-github-delivery": missingDelivery,
    });
    // A signed status sent after the rejected ones; its thread reply marks
    // the point by which they would have had their effect.
    await sendDeploymentStatus(harness(), { deployment, state: "in_progress" });
    await waitForThreadReply(harness(), opened, "is in_progress");

    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as ErrorBody).error).toContain(
      "X-Hub-Signature-256 does not match",
    );
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as ErrorBody).error).toContain(
      "missing X-Hub-Signature-256",
    );
    for (const rejected of [wrongDelivery, missingDelivery]) {
      expect(
        harness().findLogs("deployment status queued", {
          deliveryId: rejected,
        }),
      ).toEqual([]);
    }
    expect(aliasMoves(harness(), "staging")).toEqual([]);
    expect(
      await redis().hget(keys.promotion(opened.promotionId), "status"),
    ).toBe("deploying");
  });

  it("rejects malformed JSON with 400", async () => {
    const body = '{"action":"created","deployment_status":';

    const response = await harness().postWebhook(body, {
      "x-github-event": "deployment_status",
      "x-github-delivery": deliveryId(),
      "x-hub-signature-256": githubSignature(body, WEBHOOK_SECRET),
    });
    const answer = (await response.json()) as ErrorBody;

    expect(response.status).toBe(400);
    expect(answer.error).toBe(
      "body is not valid JSON; GitHub sends each event as a JSON object",
    );
  });

  it("acknowledges an unused event", async () => {
    const keysBefore = await redisKeys();
    const githubCalls = harness().github.requests.length;
    const payload = JSON.parse(
      readFixture("github/check_suite.completed.json"),
    );

    const response = await harness().webhook(
      "check_suite",
      payload,
      deliveryId(),
    );

    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(300);
    expect(await redisKeys()).toEqual(keysBefore);
    expect(harness().slack.requests).toEqual([]);
    expect(harness().mlflow.requests).toEqual([]);
    expect(harness().github.requests).toHaveLength(githubCalls);
  });
});

describe("/promote arguments", () => {
  it("names the closest model for a typo", async () => {
    const response = await harness().slashCommand({ text: "churm 42 staging" });
    const answer = (await response.json()) as {
      response_type?: string;
      text?: string;
    };

    expect(response.status).toBe(200);
    expect(answer.response_type).toBe("ephemeral");
    expect(answer.text).toContain("Unknown model `churm`");
    expect(answer.text).toContain("Did you mean `churn`?");
    expect(harness().findLogs("promotion requested")).toEqual([]);
  });

  it("reports a version MLflow lacks", async () => {
    const triggerId = `${Date.now()}.0000000001.missingversion`;

    const response = await harness().slashCommand({
      text: "churn 99 staging",
      triggerId,
    });
    const reply = await harness().slack.waitFor(
      (request) =>
        request.path === harness().commandReplyPath(triggerId) &&
        SlackStandIn.text(request).includes("not found"),
      20_000,
      "the ephemeral reply",
    );

    expect(response.status).toBe(200);
    expect(reply.body).toMatchObject({ response_type: "ephemeral" });
    expect(SlackStandIn.text(reply)).toContain(
      'Version 99 of churn was not found in the model registry (MLflow model "churn-model")',
    );
    expect(harness().slack.callsTo("chat.postMessage")).toEqual([]);
    expect(harness().findLogs("promotion opened")).toEqual([]);
  });
});

/** Lists every key in the test database, Gantry's state and BullMQ's queues alike. */
async function redisKeys(): Promise<string[]> {
  return (await redis().keys("*")).sort();
}
