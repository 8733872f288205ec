import { describe, expect, it } from "vitest";
import { SlackStandIn } from "../../scripts/stand-ins/slack-stand-in.js";
import { deliveryId, useGantry } from "./use-gantry.js";

const { harness } = useGantry();

describe("retraining end to end", () => {
  it("dispatches /retrain and promotes the better version to dev", async () => {
    const gantry = harness();

    const ack = await gantry.slashCommand({
      command: "/retrain",
      text: "churn drift on tenure_months",
      fixture: "slack/slash_command.retrain.txt",
    });
    expect(ack.status).toBe(200);
    expect(((await ack.json()) as { text: string }).text).toContain(
      "Dispatching `train.yml` of churn",
    );

    const dispatch = await gantry.github.waitFor(
      (request) => request.route === "actions.createWorkflowDispatch",
      20_000,
      "the workflow_dispatch",
    );
    expect(dispatch.path).toBe(
      "/api/v3/repos/example-user/Hello-World/actions/workflows/train.yml/dispatches",
    );
    expect(dispatch.body).toEqual({
      ref: "master",
      inputs: {
        model: "churn",
        reason: "drift on tenure_months",
        ticket: "",
        requested_by: "U0000001",
      },
    });
    await gantry.waitForLogRecord("retraining workflow run found", {}, 20_000);
    const run = gantry.github.actions.workflowRuns[0];
    if (!run) throw new Error("the GitHub stand-in started no workflow run");

    gantry.mlflow.versions.push({
      name: "churn-model",
      version: "43",
      runId: "run43",
      metrics: { accuracy: 0.95, latency_p99_ms: 1400 },
      tags: { "gantry.github_run_id": String(run.id) },
      createdAt: Date.now(),
    });
    const webhook = await gantry.webhook(
      "workflow_run",
      gantry.workflowRunPayload({ run, conclusion: "success" }),
      deliveryId(),
    );
    expect(webhook.status).toBe(200);

    const search = await gantry.mlflow.waitFor(
      (request) => request.route === "model-versions/search",
      20_000,
      "the version search",
    );
    expect(search.query.get("filter")).toBe(
      `name = 'churn-model' AND tags.\`gantry.github_run_id\` = '${run.id}'`,
    );
    const deployment = await gantry.github.waitFor(
      (request) =>
        request.route === "repos.createDeployment" &&
        (request.body as { environment?: string }).environment === "dev",
      20_000,
      "the dev deployment",
    );
    expect(
      (deployment.body as { payload: Record<string, unknown> }).payload,
    ).toMatchObject({ model: "churn", version: "43", rollback: false });

    const outcome = await gantry.slack.waitFor(
      (request) =>
        request.route === "chat.postMessage" &&
        SlackStandIn.text(request).includes("produced version 43"),
      20_000,
      "the retraining outcome",
    );
    expect((outcome.body as { channel: string }).channel).toBe("C0RELEASES");
    expect(SlackStandIn.text(outcome)).toContain("beats version 41 (staging)");
  });
});
