import nock from "nock";
import { describe, expect, it } from "vitest";
import { alertEventJob } from "../../jobs/alert-event.js";
import { readAlertState } from "../../src/alerts/alert-state.js";
import {
  fixtureAlerts,
  JIRA_URL,
  jiraApi,
  jiraIssue,
  useAlertJobs,
} from "./alert-helpers.js";

const jobs = useAlertJobs();

const DAY_MS = 86_400_000;
const OPEN = { name: "To Do", category: "new" } as const;
const DONE = { name: "Done", category: "done" } as const;

describe("drift ticket", () => {
  it("creates a ticket with the fingerprint label", async () => {
    const [drift] = fixtureAlerts();
    const created: any[] = [];
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-1", created);

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(created).toHaveLength(1);
    const fields = created[0].fields;
    expect(fields.project).toEqual({ key: "MLOPS" });
    expect(fields.issuetype).toEqual({ name: "Task" });
    expect(fields.priority).toBeUndefined();
    expect(fields.labels).toEqual([
      "gantry",
      "gantry-drift",
      "gantry-alert-3c1f0a9b7d2e4f61",
    ]);
    expect(fields.summary).toBe(
      "Drift: ModelFeatureDrift on churn (production)",
    );
    expect(fields.description).toContain(
      "||Model|churn (example-user/Hello-World:churn)|",
    );
    expect(fields.description).toContain(
      "[Runbook|https://runbooks.example.com/ml/feature-drift]",
    );
    expect(
      (await readAlertState(jobs.services().redis, drift.fingerprint)).ticket,
    ).toBe("MLOPS-1");
  });

  it("comments on the open ticket of a new firing", async () => {
    const [first] = fixtureAlerts();
    const again = { ...first, startsAt: "2024-05-15T08:00:00.000Z" };
    const comments: string[] = [];
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-1");
    jiraApi.findIssue(jiraIssue("MLOPS-1", OPEN));
    jiraApi.addComment("MLOPS-1", comments);

    await jobs.run([first]);
    const [outcome] = await jobs.run([again]);

    expect(outcome?.state).toBe("completed");
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain(
      "Alert ModelFeatureDrift fired again at 2024-05-15T08:00:00.000Z.",
    );
  });

  it("finds the open ticket by label when Redis forgot it", async () => {
    const [drift] = fixtureAlerts();
    const comments: string[] = [];
    jiraApi.searchJira([jiraIssue("MLOPS-7", OPEN)]);
    jiraApi.addComment("MLOPS-7", comments);

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(comments).toHaveLength(1);
    expect(
      (await readAlertState(jobs.services().redis, drift.fingerprint)).ticket,
    ).toBe("MLOPS-7");
  });

  it("reopens a ticket closed within the window", async () => {
    const [drift] = fixtureAlerts();
    const closedAt = new Date(Date.now() - 2 * DAY_MS).toISOString();
    const transitions: any[] = [];
    const comments: string[] = [];
    jiraApi.searchJira([jiraIssue("MLOPS-3", DONE, closedAt)]);
    jiraApi.listTransitions("MLOPS-3", [
      { id: "31", name: "Done", category: "done" },
      { id: "11", name: "To Do", category: "new" },
      { id: "41", name: "Reopen", category: "indeterminate" },
    ]);
    jiraApi.transitionIssue("MLOPS-3", transitions);
    jiraApi.addComment("MLOPS-3", comments);

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(transitions).toEqual([{ transition: { id: "41" } }]);
    expect(comments[0]).toContain("Gantry reopened this ticket");
    expect(comments[0]).toContain("within 7d of the ticket being closed");
  });

  it("comments when the workflow cannot reopen", async () => {
    const [drift] = fixtureAlerts();
    const closedAt = new Date(Date.now() - DAY_MS).toISOString();
    const comments: string[] = [];
    jiraApi.searchJira([jiraIssue("MLOPS-3", DONE, closedAt)]);
    jiraApi.listTransitions("MLOPS-3", [
      { id: "31", name: "Close", category: "done" },
    ]);
    jiraApi.addComment("MLOPS-3", comments);

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain("Gantry left the ticket closed");
  });

  it("opens a new ticket after the window", async () => {
    const [drift] = fixtureAlerts();
    const closedAt = new Date(Date.now() - 8 * DAY_MS).toISOString();
    const created: any[] = [];
    jiraApi.searchJira([jiraIssue("MLOPS-3", DONE, closedAt)]);
    jiraApi.addNewIssue("MLOPS-9", created);

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(created).toHaveLength(1);
    expect(
      (await readAlertState(jobs.services().redis, drift.fingerprint)).ticket,
    ).toBe("MLOPS-9");
  });

  it("opens a new ticket when Jira deleted it", async () => {
    const [first] = fixtureAlerts();
    const again = { ...first, startsAt: "2024-05-15T08:00:00.000Z" };
    const created: unknown[] = [];
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-1");
    nock(JIRA_URL)
      .get("/rest/api/2/issue/MLOPS-1")
      .query(true)
      .reply(404, {
        errorMessages: [
          "Issue does not exist or you do not have permission to see it.",
        ],
        errors: {},
      });
    jiraApi.addNewIssue("MLOPS-2", created);

    await jobs.run([first]);
    const [outcome] = await jobs.run([again]);

    expect(outcome?.state).toBe("completed");
    expect(created).toHaveLength(1);
    expect(
      (await readAlertState(jobs.services().redis, first.fingerprint)).ticket,
    ).toBe("MLOPS-2");
  });

  it("queues a redelivered firing once", async () => {
    const [drift] = fixtureAlerts();
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-1");
    await jobs.run([drift]);

    await jobs
      .services()
      .queues.add(
        alertEventJob,
        { alert: drift, receivedAt: new Date().toISOString() },
        "alert:3c1f0a9b7d2e4f61:firing:2024-05-14T09:30:00.000Z",
      );
    const counts = await jobs
      .services()
      .queues.queue(alertEventJob.queue)
      .getJobCounts("waiting", "active", "delayed", "completed");

    expect(counts).toEqual({ waiting: 0, active: 0, delayed: 0, completed: 1 });
  });
});
