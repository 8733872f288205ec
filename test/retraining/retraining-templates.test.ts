import { describe, expect, it } from "vitest";
import type { VersionEvaluation } from "../../src/retraining/evaluate-version.js";
import type { RetrainingRun } from "../../src/retraining/retraining-run.js";
import { retrainingOutcome } from "../../templates/retraining-outcome.js";
import { retrainingStarted } from "../../templates/retraining-started.js";

const RUN: RetrainingRun = {
  id: "rtr_0123456789abcdef0123",
  modelKey: "example-user/Hello-World:churn",
  modelName: "churn",
  repo: "example-user/Hello-World",
  installationId: 4242,
  registryName: "churn-model",
  workflow: "train.yml",
  reason: "drift on <tenure_months>",
  ticket: "MLOPS-12",
  requestedBy: "alertmanager",
  source: "drift",
  status: "dispatched",
  requestedAt: "2026-05-11T02:00:00.000Z",
  ref: "master",
  workflowRunId: 555,
  workflowRunUrl:
    "https://github.com/example-user/Hello-World/actions/runs/555",
};

const EVALUATION: VersionEvaluation = {
  version: {
    name: "churn-model",
    version: "43",
    run_id: "run43",
    tags: [],
    aliases: [],
  },
  foundBy: "tag",
  metrics: { accuracy: 0.9512, latency_p99_ms: 1400 },
  gates: [
    { metric: "accuracy", expression: ">= 0.90", value: 0.9512, passed: true },
    {
      metric: "latency_p99_ms",
      expression: "<= 2000",
      value: 1400,
      passed: true,
    },
  ],
  champion: {
    version: "41",
    environment: "production",
    metrics: { accuracy: 0.91, latency_p99_ms: 1800 },
  },
  comparison: {
    verdict: "better",
    metrics: [
      {
        metric: "accuracy",
        candidate: 0.9512,
        champion: 0.91,
        better: "higher",
        change: "better",
      },
      {
        metric: "latency_p99_ms",
        candidate: 1400,
        champion: 1800,
        better: "lower",
        change: "better",
      },
    ],
  },
};

describe("retraining templates", () => {
  it("renders a promoted version", () => {
    const text = retrainingOutcome(RUN, {
      kind: "promoted",
      environment: "dev",
      promotionId: "prm_1",
      evaluation: EVALUATION,
    });

    expect(text.channelMessage).toMatchInlineSnapshot(`
      ":rocket: Retraining of churn produced version 43, which passes its gates and beats version 41 (production). Gantry opened promotion prm_1 to dev.
      • accuracy: 0.9512, gate &gt;= 0.90 passed; v41: 0.91 (better)
      • latency_p99_ms: 1400, gate &lt;= 2000 passed; v41: 1800 (better)
      • Version 43 was found by its gantry.github_run_id tag.
      Reason for retraining: drift on &lt;tenure_months&gt;
      <https://github.com/example-user/Hello-World/actions/runs/555|Workflow run 555>"
    `);
    expect(text.ticketComment).toMatchInlineSnapshot(`
      "Retraining of churn produced version 43, which passes its gates and beats version 41 (production). Gantry opened promotion prm_1 to dev.
      - accuracy: 0.9512, gate >= 0.90 passed; v41: 0.91 (better)
      - latency_p99_ms: 1400, gate <= 2000 passed; v41: 1800 (better)
      - Version 43 was found by its gantry.github_run_id tag.
      Reason for retraining: drift on <tenure_months>
      Workflow run: https://github.com/example-user/Hello-World/actions/runs/555"
    `);
  });

  it("renders a better version without auto_deploy", () => {
    const text = retrainingOutcome(RUN, {
      kind: "not_deployed",
      environment: "dev",
      evaluation: EVALUATION,
    });

    expect(text.ticketComment.split("\n")[0]).toMatchInlineSnapshot(
      `"Retraining of churn produced version 43, which passes its gates and beats version 41 (production). dev has no auto_deploy, so nothing was deployed; promote it with /promote churn 43 dev."`,
    );
  });

  it("renders the start", () => {
    const text = retrainingStarted({
      ...RUN,
      source: "slack",
      requestedBy: "U0000001",
    });

    expect(text.channelMessage).toMatchInlineSnapshot(`
      ":gear: Retraining of *churn* started: \`train.yml\` on \`master\`, <https://github.com/example-user/Hello-World/actions/runs/555|workflow run 555>.
      Reason: drift on &lt;tenure_months&gt;
      Requested by <@U0000001> (/retrain), ticket MLOPS-12."
    `);
    expect(text.ticketComment).toMatchInlineSnapshot(`
      "Gantry started retraining of churn: workflow train.yml on master, run https://github.com/example-user/Hello-World/actions/runs/555.
      Reason: drift on <tenure_months>
      Gantry comments here again when the run completes."
    `);
  });
});
