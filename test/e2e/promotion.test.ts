import { describe, expect, it } from "vitest";
import { REPOSITORY } from "../../scripts/harness.js";
import { SlackStandIn } from "../../scripts/stand-ins/slack-stand-in.js";
import { keys } from "../../src/store/keys.js";
import {
  APPROVER,
  REQUESTER,
  aliasMoves,
  approveAndDeploy,
  deliveryId,
  deploymentOf,
  deploymentRequests,
  postedCards,
  sendDeploymentStatus,
  threadReplies,
  useGantry,
  waitForCardUpdate,
  waitForThreadReply,
} from "./use-gantry.js";

const { harness, redis, openStagingPromotion } = useGantry();

async function promotionStatus(promotionId: string): Promise<string | null> {
  return redis().hget(keys.promotion(promotionId), "status");
}

function replyTexts(opened: Parameters<typeof threadReplies>[1]): string[] {
  return threadReplies(harness(), opened).map((request) =>
    SlackStandIn.text(request),
  );
}

describe("promotion", () => {
  it("posts the approval card", async () => {
    const opened = await openStagingPromotion({ user: REQUESTER });

    const body = opened.card.body as { channel: string; text: string };
    const text = SlackStandIn.blocksText(opened.card);
    const buttons = SlackStandIn.buttons(opened.card);
    expect(body.channel).toBe("C0RELEASES");
    expect(body.text).toContain("churn 42 → staging");
    expect(text).toContain("*Model:*\nchurn");
    expect(text).toContain("*Version:*\n42");
    expect(text).toContain("*Environment:*\nstaging");
    expect(text).toContain(`*Requested by:*\n<@${REQUESTER}>`);
    expect(text).toContain("*Approvals:*\n0 of 1");
    expect(opened.promotionId).toMatch(/^prm_/);
    expect(buttons).toContainEqual({
      actionId: "promotion_approve",
      text: "Approve",
      value: opened.promotionId,
    });
    expect(buttons).toContainEqual({
      actionId: "promotion_reject",
      text: "Reject",
      value: opened.promotionId,
    });
  });

  it("runs from /promote to success", async () => {
    const opened = await openStagingPromotion({ user: REQUESTER });

    await harness().pressButton({
      action: "promotion_approve",
      promotionId: opened.promotionId,
      user: APPROVER,
      messageTs: opened.ts,
    });
    await waitForThreadReply(harness(), opened, "Created deployment");
    const deployment = deploymentOf(harness(), opened);
    const response = await sendDeploymentStatus(harness(), {
      deployment,
      state: "success",
    });
    const update = await waitForCardUpdate(harness(), opened, "Succeeded");
    await waitForThreadReply(harness(), opened, "is success");
    await waitForThreadReply(harness(), opened, "now points to version 42");

    const headSha = harness().github.repositories[0]?.headSha ?? "";
    const created = deploymentRequests(harness(), "staging");
    expect(created).toHaveLength(1);
    expect(created[0]?.path).toBe(
      `/api/v3/repos/${REPOSITORY.owner}/${REPOSITORY.name}/deployments`,
    );
    expect(created[0]?.body).toMatchObject({
      ref: headSha,
      environment: "staging",
      payload: {
        model: "churn",
        version: "42",
        traffic_percent: 100,
        promotion_id: opened.promotionId,
        rollback: false,
      },
    });
    expect(response.status).toBe(200);
    expect(aliasMoves(harness(), "staging").map((call) => call.body)).toEqual([
      { name: "churn-model", alias: "staging", version: "42" },
    ]);
    expect(harness().mlflow.aliases.get("churn-model/staging")).toBe("42");
    expect(update.body).toMatchObject({
      channel: opened.channel,
      ts: opened.ts,
    });
    expect(SlackStandIn.buttons(update)).toEqual([]);
    expect(await promotionStatus(opened.promotionId)).toBe("succeeded");
    expect(replyTexts(opened)).toContainEqual(
      expect.stringContaining(`<@${APPROVER}> approved (1 of 1)`),
    );
    expect(replyTexts(opened)).toContainEqual(
      expect.stringContaining(
        `Created deployment ${deployment.id} of churn 42 to staging at \`${headSha.slice(0, 7)}\``,
      ),
    );
    expect(replyTexts(opened)).toContainEqual(
      expect.stringContaining(`Deployment ${deployment.id} is success`),
    );
    expect(postedCards(harness(), "staging")).toHaveLength(1);
  });

  it("refuses staging before dev", async () => {
    const triggerId = `${Date.now()}.0000000001.stageorder`;

    await harness().slashCommand({ text: "churn 42 staging", triggerId });
    const reply = await harness().slack.waitFor(
      (request) => request.path === harness().commandReplyPath(triggerId),
      20_000,
      "the ephemeral reply",
    );

    expect(JSON.stringify(reply.body)).toContain(
      "version 42 of churn has not succeeded in dev",
    );
    expect(postedCards(harness(), "staging")).toEqual([]);
  });

  it("fails on a failure status", async () => {
    const opened = await openStagingPromotion();
    const deployment = await approveAndDeploy(harness(), opened);

    await sendDeploymentStatus(harness(), { deployment, state: "failure" });
    const update = await waitForCardUpdate(harness(), opened, "Failed");
    await waitForThreadReply(harness(), opened, "is failure");

    expect(SlackStandIn.blocksText(update)).toContain(
      `*Reason:* deployment ${deployment.id} reported failure`,
    );
    expect(await promotionStatus(opened.promotionId)).toBe("failed");
    expect(aliasMoves(harness(), "staging")).toEqual([]);
    expect(harness().mlflow.aliases.get("churn-model/staging")).toBe("41");
  });

  it("ignores in_progress after success", async () => {
    const opened = await openStagingPromotion();
    const deployment = await approveAndDeploy(harness(), opened);
    await sendDeploymentStatus(harness(), { deployment, state: "success" });
    await waitForCardUpdate(harness(), opened, "Succeeded");
    const late = deliveryId();

    const response = await sendDeploymentStatus(harness(), {
      deployment,
      state: "in_progress",
      deliveryId: late,
    });
    await harness().waitForLogRecord(
      "deployment status ignored: promotion already moved on",
      { promotionId: opened.promotionId, state: "in_progress" },
    );

    expect(response.status).toBe(200);
    expect(await promotionStatus(opened.promotionId)).toBe("succeeded");
    const updates = harness()
      .slack.callsTo("chat.update")
      .filter((request) => (request.body as { ts: string }).ts === opened.ts);
    expect(SlackStandIn.blocksText(updates.at(-1) ?? opened.card)).toContain(
      "Succeeded",
    );
    expect(replyTexts(opened)).not.toContainEqual(
      expect.stringContaining("is in_progress"),
    );
  });
});
