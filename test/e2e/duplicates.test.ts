import { describe, expect, it } from "vitest";
import type { OpenedPromotion } from "../../scripts/harness.js";
import { SlackStandIn } from "../../scripts/stand-ins/slack-stand-in.js";
import { keys } from "../../src/store/keys.js";
import {
  APPROVER,
  REQUESTER,
  aliasMoves,
  approveAndDeploy,
  deliveryId,
  deploymentRequests,
  postedCards,
  sendDeploymentStatus,
  threadReplies,
  useGantry,
  waitForCardUpdate,
  waitForThreadReply,
} from "./use-gantry.js";

const { harness, redis, openStagingPromotion, promoteToDev, settle } =
  useGantry();

function repliesContaining(opened: OpenedPromotion, text: string): string[] {
  return threadReplies(harness(), opened)
    .map((request) => SlackStandIn.text(request))
    .filter((reply) => reply.includes(text));
}

function approve(opened: OpenedPromotion, user: string): Promise<Response> {
  return harness().pressButton({
    action: "promotion_approve",
    promotionId: opened.promotionId,
    user,
    messageTs: opened.ts,
  });
}

describe("duplicates", () => {
  it("applies a redelivered webhook once", async () => {
    const opened = await openStagingPromotion();
    const deployment = await approveAndDeploy(harness(), opened);
    // Holds the first alias move for a second, so that a second job for the
    // same delivery would find the promotion still deploying.
    harness().mlflow.failNext("registered-models/alias POST", 2, {
      delayMs: 1000,
    });
    const delivery = deliveryId();

    const first = await sendDeploymentStatus(harness(), {
      deployment,
      state: "success",
      deliveryId: delivery,
    });
    const again = await sendDeploymentStatus(harness(), {
      deployment,
      state: "success",
      deliveryId: delivery,
    });
    await waitForCardUpdate(harness(), opened, "Succeeded");
    await settle();

    expect(first.status).toBe(200);
    expect(again.status).toBe(200);
    expect(aliasMoves(harness(), "staging")).toHaveLength(1);
    expect(repliesContaining(opened, "is success")).toHaveLength(1);
    expect(repliesContaining(opened, "now points to version 42")).toHaveLength(
      1,
    );
  });

  it("opens one promotion for a Slack retry", async () => {
    await promoteToDev("42");
    const triggerId = `${Date.now()}.0000000001.slackretry`;

    const first = await harness().slashCommand({
      text: "churn 42 staging",
      triggerId,
    });
    const retry = await harness().slashCommand({
      text: "churn 42 staging",
      triggerId,
      headers: {
        "x-slack-retry-num": "1",
        "x-slack-retry-reason": "http_timeout",
      },
    });
    await harness().slack.waitFor(
      (request) =>
        request.path === harness().commandReplyPath(triggerId) &&
        SlackStandIn.text(request).includes("is open"),
      20_000,
      "the confirmation",
    );
    const completed = await settle();

    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(harness().findLogs("promotion requested")).toHaveLength(3);
    expect(completed["{promotion-requests}"]).toBe(2);
    expect(postedCards(harness(), "staging")).toHaveLength(1);
    expect(
      await redis().zcard(
        keys.promotionsByModel("example-user/Hello-World:churn"),
      ),
    ).toBe(2);
    expect(
      harness().slack.requests.filter(
        (request) => request.path === harness().commandReplyPath(triggerId),
      ),
    ).toHaveLength(1);
  });

  it("counts a double click once", async () => {
    const opened = await openStagingPromotion({ user: REQUESTER });

    const clicks = await Promise.all([
      approve(opened, APPROVER),
      approve(opened, APPROVER),
    ]);
    await waitForThreadReply(harness(), opened, "Created deployment");
    await harness().slack.waitFor(
      (request) =>
        request.route === "response_url" &&
        /already counted|takes no more approvals/.test(
          SlackStandIn.text(request),
        ),
      20_000,
      "the reply to the second click",
    );
    await settle();

    expect(clicks.map((click) => click.status)).toEqual([200, 200]);
    expect(deploymentRequests(harness(), "staging")).toHaveLength(1);
    expect(await redis().smembers(keys.approvals(opened.promotionId))).toEqual([
      APPROVER,
    ]);
    expect(repliesContaining(opened, "approved (1 of 1)")).toHaveLength(1);
  });

  it("counts each approver once", async () => {
    const staging = await openStagingPromotion();
    const stagingDeployment = await approveAndDeploy(harness(), staging);
    await sendDeploymentStatus(harness(), {
      deployment: stagingDeployment,
      state: "success",
    });
    await harness().waitForLogRecord("promotion succeeded", {
      promotionId: staging.promotionId,
    });
    const opened = await harness().openPromotion({
      text: "churn 42 production",
    });

    await Promise.all([
      approve(opened, "U0RELMGR"),
      approve(opened, "U0RELMGR"),
    ]);
    await waitForCardUpdate(harness(), opened, "1 of 2");
    await settle();
    const afterOne = deploymentRequests(harness(), "production").length;
    await approve(opened, "U0MLLEAD1");
    await waitForThreadReply(harness(), opened, "Created deployment");

    expect(afterOne).toBe(0);
    expect(repliesContaining(opened, "<@U0RELMGR> approved")).toEqual([
      expect.stringContaining("(1 of 2)"),
    ]);
    expect(deploymentRequests(harness(), "production")).toHaveLength(1);
    expect(
      (await redis().smembers(keys.approvals(opened.promotionId))).sort(),
    ).toEqual(["U0MLLEAD1", "U0RELMGR"]);
  });
});
