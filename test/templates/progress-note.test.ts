import { describe, expect, it } from "vitest";
import { LIMITS } from "../../templates/limits.js";
import {
  progressNote,
  type ProgressEvent,
} from "../../templates/progress-note.js";
import { storedPromotion } from "../helpers/promotions.js";

const PROMOTION = storedPromotion({ status: "deploying", deploymentId: 7 });

describe("progressNote", () => {
  it.each<[ProgressEvent, string]>([
    [
      { kind: "approval", user: "U0000002", count: 1, required: 2 },
      ":ballot_box_with_check: <@U0000002> approved (1 of 2).",
    ],
    [
      { kind: "approved" },
      ":white_check_mark: churn 42 is approved for staging; queued for deployment.",
    ],
    [
      { kind: "rejected", user: "U0000003", reason: "p99 latency regressed" },
      ":no_entry: <@U0000003> rejected churn 42: p99 latency regressed",
    ],
    [
      {
        kind: "deployment_created",
        deploymentId: 145988746,
        sha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
      },
      ":rocket: Created deployment 145988746 of churn 42 to staging at `f95f852`.",
    ],
    [
      {
        kind: "deployment_status",
        state: "in_progress",
        description: undefined,
        logUrl: undefined,
      },
      ":satellite: Deployment 7 is in_progress.",
    ],
    [
      {
        kind: "deployment_status",
        state: "failure",
        description: "Canary error rate above threshold",
        logUrl: "https://github.com/example-user/Hello-World/actions/runs/1",
      },
      ":satellite: Deployment 7 is failure: Canary error rate above threshold. <https://github.com/example-user/Hello-World/actions/runs/1|logs>",
    ],
    [
      { kind: "alias_moved", alias: "staging" },
      ":label: Registry alias `staging` of `churn-model` now points to version 42.",
    ],
    [
      { kind: "failed", reason: "deployment 7 reported error" },
      ":red_circle: churn 42 failed: deployment 7 reported error",
    ],
  ])("renders %j", (event, text) => {
    expect(progressNote(PROMOTION, event)).toBe(text);
  });

  it("escapes text from people and services", () => {
    const note = progressNote(PROMOTION, {
      kind: "rejected",
      user: "U0000003",
      reason: "<!here> ship it & <https://evil.example|click>",
    });

    expect(note).toBe(
      ":no_entry: <@U0000003> rejected churn 42: &lt;!here&gt; ship it &amp; &lt;https://evil.example|click&gt;",
    );
  });

  it("truncates a long reason", () => {
    const note = progressNote(PROMOTION, {
      kind: "failed",
      reason: "出错了🔥 ".repeat(3000),
    });

    expect(Array.from(note)).toHaveLength(LIMITS.sectionText);
    expect(note.endsWith("…")).toBe(true);
  });
});
