import { describe, expect, it } from "vitest";
import { readAlertState } from "../../src/alerts/alert-state.js";
import { firingCriticalAlerts } from "../../src/alerts/critical-alerts.js";
import {
  fixtureAlerts,
  jiraApi,
  jiraIssue,
  MODEL_KEY,
  slackApi,
  useAlertJobs,
  type SlackCall,
} from "./alert-helpers.js";

const jobs = useAlertJobs();

describe("critical alert", () => {
  it("opens a highest-priority Bug and posts it", async () => {
    const [, critical] = fixtureAlerts();
    const created: any[] = [];
    const posts: SlackCall[] = [];
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-2", created);
    slackApi.chatPostMessage(posts);

    const [outcome] = await jobs.run([critical]);

    expect(outcome?.state).toBe("completed");
    expect(created[0].fields.issuetype).toEqual({ name: "Bug" });
    expect(created[0].fields.priority).toEqual({ name: "Highest" });
    expect(created[0].fields.labels).toContain("gantry-alert-9e8d7c6b5a403f21");
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe("C0ALERTS");
    const button = posts[0]?.args.blocks
      ?.find((block) => block.type === "actions")
      ?.elements?.find((element) => element.action_id === "alert_rollback");
    expect(JSON.parse(button?.value ?? "")).toEqual({
      model: MODEL_KEY,
      environment: "production",
      fingerprint: "9e8d7c6b5a403f21",
    });
  });

  it("records the alert for the canary", async () => {
    const [, critical] = fixtureAlerts();
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-2");
    slackApi.chatPostMessage([]);

    await jobs.run([critical]);
    const firing = await firingCriticalAlerts(jobs.services().redis, MODEL_KEY);

    expect(firing).toEqual([
      expect.objectContaining({
        fingerprint: "9e8d7c6b5a403f21",
        alertname: "ModelServingHighErrorRate",
        environment: "production",
        startsAt: "2024-05-14T09:41:30.000Z",
      }),
    ]);
  });

  it("comments and updates the post when resolved", async () => {
    const [, critical] = fixtureAlerts("firing");
    const [, resolved] = fixtureAlerts("resolved");
    const calls: SlackCall[] = [];
    const comments: string[] = [];
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-2");
    slackApi.chatPostMessage(calls, "1715679200.000100");
    slackApi.chatUpdate(calls);
    jiraApi.addComment("MLOPS-2", comments);

    await jobs.run([critical]);
    const [outcome] = await jobs.run([resolved]);

    expect(outcome?.state).toBe("completed");
    expect(comments).toEqual([
      expect.stringContaining(
        "Alert ModelServingHighErrorRate resolved at 2024-05-14T10:02:00.000Z (it fired since 2024-05-14T09:41:30.000Z).",
      ),
    ]);
    const update = calls.find((call) => call.method === "chat.update");
    expect(update?.args.ts).toBe("1715679200.000100");
    expect(update?.args.channel).toBe("C0ALERTS");
    expect(update?.args.text).toBe(
      "Resolved: ModelServingHighErrorRate on churn (production)",
    );
    expect(update?.args.blocks?.some((block) => block.type === "actions")).toBe(
      false,
    );
    expect(
      await firingCriticalAlerts(jobs.services().redis, MODEL_KEY),
    ).toEqual([]);
  });

  it("comments on the open ticket of an unseen firing", async () => {
    const [drift] = fixtureAlerts("resolved");
    const comments: string[] = [];
    jiraApi.searchJira([
      jiraIssue("MLOPS-5", { name: "In Progress", category: "indeterminate" }),
    ]);
    jiraApi.addComment("MLOPS-5", comments);

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(comments).toHaveLength(1);
    expect(
      (await readAlertState(jobs.services().redis, drift.fingerprint))
        .resolvedFiring,
    ).toBe(drift.startsAt);
  });

  it("ignores a firing after its resolution", async () => {
    const [drift] = fixtureAlerts("resolved");
    const [firing] = fixtureAlerts("firing");
    jiraApi.searchJira([]);

    await jobs.run([drift]);
    const [outcome] = await jobs.run([firing]);

    expect(outcome?.state).toBe("completed");
  });

  it("ignores alerts classified other", async () => {
    const [drift] = fixtureAlerts();
    const other = {
      ...drift,
      labels: { alertname: "DiskFull", model: "churn", severity: "warning" },
    };

    const [outcome] = await jobs.run([other]);

    expect(outcome?.state).toBe("completed");
    expect(
      await readAlertState(jobs.services().redis, other.fingerprint),
    ).toEqual({});
  });
});
