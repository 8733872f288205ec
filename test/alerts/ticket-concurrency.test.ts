import nock from "nock";
import { describe, expect, it } from "vitest";
import {
  fixtureAlerts,
  JIRA_URL,
  jiraApi,
  jiraIssue,
  useAlertJobs,
} from "./alert-helpers.js";

/** Two workers of four jobs each, as two replicas would run them. */
const jobs = useAlertJobs({ workers: 2 });

describe("ticket deduplication under concurrency", () => {
  it("creates one issue for one firing delivered many times", async () => {
    const [drift] = fixtureAlerts();
    const copies = Array.from({ length: 12 }, () => drift);
    const ids = copies.map((_alert, index) => `race:${index}`);
    const created: unknown[] = [];
    // Both interceptors accept any number of calls, so a duplicate issue
    // would be counted instead of failing its job.
    nock(JIRA_URL)
      .persist()
      .post("/rest/api/2/search")
      .reply(200, { startAt: 0, total: 0, issues: [] });
    nock(JIRA_URL)
      .persist()
      .post("/rest/api/2/issue")
      .delay(50)
      .reply(201, (_uri, body) => {
        created.push(body);
        return { id: "10001", key: "MLOPS-1" };
      });

    const outcomes = await jobs.run(copies, ids);

    expect(outcomes.every((outcome) => outcome.state === "completed")).toBe(
      true,
    );
    expect(created).toHaveLength(1);
  });

  it("comments on one issue for concurrent firings", async () => {
    const [drift] = fixtureAlerts();
    const firings = Array.from({ length: 6 }, (_unused, index) => ({
      ...drift,
      startsAt: `2024-05-14T1${index}:00:00.000Z`,
    }));
    const created: unknown[] = [];
    const comments: string[] = [];
    // Both interceptors accept any number of calls, so a duplicate issue
    // would be counted instead of failing its job.
    nock(JIRA_URL)
      .persist()
      .post("/rest/api/2/search")
      .reply(200, { startAt: 0, total: 0, issues: [] });
    nock(JIRA_URL)
      .persist()
      .post("/rest/api/2/issue")
      .delay(50)
      .reply(201, (_uri, body) => {
        created.push(body);
        return { id: "10001", key: "MLOPS-1" };
      });
    nock(JIRA_URL)
      .get("/rest/api/2/issue/MLOPS-1")
      .query(true)
      .times(5)
      .reply(200, jiraIssue("MLOPS-1", { name: "To Do", category: "new" }));
    jiraApi.addComment("MLOPS-1", comments);
    for (let index = 1; index < 5; index++)
      jiraApi.addComment("MLOPS-1", comments);

    const outcomes = await jobs.run(firings);

    expect(outcomes.every((outcome) => outcome.state === "completed")).toBe(
      true,
    );
    expect(created).toHaveLength(1);
    expect(comments).toHaveLength(5);
  });
});
