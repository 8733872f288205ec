import nock from "nock";
import { describe, expect, it } from "vitest";
import {
  fixtureAlerts,
  JIRA_URL,
  jiraApi,
  slackApi,
  useAlertJobs,
  type SlackCall,
} from "./alert-helpers.js";

const jobs = useAlertJobs();

const FIELD_ERRORS = {
  errorMessages: [],
  errors: { customfield_10010: "Team is required." },
};

describe("Jira failures", () => {
  it("waits Retry-After after a 429, then creates", async () => {
    const [drift] = fixtureAlerts();
    const attempts: number[] = [];
    jiraApi.searchJira([]);
    nock(JIRA_URL)
      .post("/rest/api/2/issue")
      .reply(() => {
        attempts.push(Date.now());
        return [
          429,
          { errorMessages: ["Rate limit exceeded."] },
          { "Retry-After": "1" },
        ];
      });
    jiraApi.searchJira([]);
    nock(JIRA_URL)
      .post("/rest/api/2/issue")
      .reply(() => {
        attempts.push(Date.now());
        return [201, { id: "10001", key: "MLOPS-1" }];
      });

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(attempts).toHaveLength(2);
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(
      1000,
    );
  });

  it("retries a 503 with backoff", async () => {
    const [drift] = fixtureAlerts();
    jiraApi.searchJira([]);
    nock(JIRA_URL).post("/rest/api/2/issue").reply(503, "Service Unavailable");
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-1");

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(outcome?.attemptsStarted).toBe(2);
  });

  it("posts field errors once and does not retry", async () => {
    const [drift] = fixtureAlerts();
    const other = {
      ...drift,
      fingerprint: "4d2e1b0a9c8f7e65",
      labels: { ...drift.labels, alertname: "ModelLabelDrift" },
    };
    const posts: SlackCall[] = [];
    const creates: unknown[] = [];
    jiraApi.searchJira([]);
    jiraApi.searchJira([]);
    nock(JIRA_URL)
      .post("/rest/api/2/issue")
      .times(2)
      .reply((_uri, body) => {
        creates.push(body);
        return [400, FIELD_ERRORS];
      });
    slackApi.chatPostMessage(posts);

    const outcomes = await jobs.run([drift, other]);

    expect(outcomes.map((outcome) => outcome.state)).toEqual([
      "failed",
      "failed",
    ]);
    expect(outcomes.map((outcome) => outcome.attemptsStarted)).toEqual([1, 1]);
    expect(creates).toHaveLength(2);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.args.channel).toBe("C0ALERTS");
    expect(posts[0]?.args.text).toContain(
      "`customfield_10010`: Team is required.",
    );
    expect(posts[0]?.args.text).toContain("Gantry does not retry");
  });

  it("posts a critical alert when Jira rejects its ticket", async () => {
    const [, critical] = fixtureAlerts();
    const posts: SlackCall[] = [];
    jiraApi.searchJira([]);
    nock(JIRA_URL).post("/rest/api/2/issue").reply(400, FIELD_ERRORS);
    slackApi.chatPostMessage(posts);
    slackApi.chatPostMessage(posts, "1715679300.000100");

    const [outcome] = await jobs.run([critical]);

    expect(outcome?.state).toBe("failed");
    expect(posts.map((post) => post.args.text)).toEqual([
      "Critical alert: ModelServingHighErrorRate on churn (production)",
      expect.stringContaining("Jira rejected the Bug"),
    ]);
  });

  it("sends basic auth and never the token in a ticket", async () => {
    const [drift] = fixtureAlerts();
    const leaky = {
      ...drift,
      annotations: {
        ...drift.annotations,
        description: "curl -u gantry:test-jira-api-token-0001 https://jira",
      },
    };
    const created: any[] = [];
    jiraApi.searchJira([]);
    nock(JIRA_URL, {
      reqheaders: {
        authorization: `Basic ${Buffer.from("gantry@example.com:test-jira-api-token-0001").toString("base64")}`,
      },
    })
      .post("/rest/api/2/issue")
      .reply(201, (_uri, body) => {
        created.push(body);
        return { id: "10001", key: "MLOPS-1" };
      });

    const [outcome] = await jobs.run([leaky]);

    expect(outcome?.state).toBe("completed");
    const description: string = created[0].fields.description;
    expect(description).not.toContain("test-jira-api-token-0001");
    expect(description).toContain("curl -u gantry:\\[redacted\\]");
  });
});
