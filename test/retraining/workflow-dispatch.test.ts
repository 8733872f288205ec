import nock from "nock";
import { describe, expect, it } from "vitest";
import { retrainingRunJob } from "../../jobs/retraining-run.js";
import { isGantryError } from "../../src/errors.js";
import { RetrainingRunStore } from "../../src/retraining/run-store.js";
import { keys } from "../../src/store/keys.js";
import {
  GITHUB_API,
  MODEL,
  nockInstallationToken,
  nockJiraComments,
  nockSlackPosts,
  queuedRun,
  REPO,
  useRetrainingServices,
} from "./helpers.js";

const { services } = useRetrainingServices();

const WORKFLOW = `/repos/${REPO}/actions/workflows/train.yml`;
const RESPONSE_URL = "https://hooks.slack.com/commands/T0000001/3/token3";

function nockRepository(): nock.Scope {
  return nock(GITHUB_API).get(`/repos/${REPO}`).reply(200, {
    id: 1_296_269,
    name: "Hello-World",
    full_name: REPO,
    default_branch: "master",
  });
}

/** Fakes the workflow_dispatch, returning 204 (or `status`), and records its body. */
function nockDispatch(status = 204): unknown[] {
  const bodies: unknown[] = [];
  nock(GITHUB_API)
    .post(`${WORKFLOW}/dispatches`)
    .reply(status, (_uri, body) => {
      bodies.push(body);
      return status === 204
        ? ""
        : {
            message: 'Unexpected inputs provided: ["requested_by"]',
            documentation_url: "https://docs.github.com/rest",
          };
    });
  return bodies;
}

/** Fakes the workflow run listing with the given runs, and records each query. */
function nockListRuns(
  runs: { id: number; createdAt?: string }[],
): URLSearchParams[] {
  const queries: URLSearchParams[] = [];
  nock(GITHUB_API)
    .get(`${WORKFLOW}/runs`)
    .query(true)
    .reply(200, (uri) => {
      queries.push(new URL(uri, GITHUB_API).searchParams);
      return {
        total_count: runs.length,
        workflow_runs: runs.map((run) => ({
          id: run.id,
          name: "train",
          path: ".github/workflows/train.yml",
          event: "workflow_dispatch",
          head_branch: "master",
          status: "queued",
          conclusion: null,
          created_at: run.createdAt ?? new Date().toISOString(),
          html_url: `https://github.com/${REPO}/actions/runs/${run.id}`,
        })),
      };
    });
  return queries;
}

describe("retraining run job", () => {
  it("dispatches the training workflow with the exact inputs", async () => {
    const run = await queuedRun(services(), "drift:fp1");
    nockInstallationToken();
    nockRepository();
    const dispatches = nockDispatch();
    const queries = nockListRuns([{ id: 30_433_642 }]);
    const posts = nockSlackPosts();
    const comments = nockJiraComments("MLOPS-12");

    await retrainingRunJob.process({ runId: run.id }, services(), never());

    expect(dispatches).toEqual([
      {
        ref: "master",
        inputs: {
          model: "churn",
          reason: "drift on tenure_months",
          ticket: "MLOPS-12",
          requested_by: "alertmanager",
        },
      },
    ]);
    expect(queries[0]?.get("event")).toBe("workflow_dispatch");
    expect(queries[0]?.get("branch")).toBe("master");
    expect(queries[0]?.get("created")).toMatch(/^>=\d{4}-\d\d-\d\dT[\d:]+Z$/);
    const stored = await new RetrainingRunStore(services().redis).get(run.id);
    expect(stored).toMatchObject({
      status: "dispatched",
      ref: "master",
      workflowRunId: 30_433_642,
      workflowRunUrl: `https://github.com/${REPO}/actions/runs/30433642`,
    });
    expect(
      await services().redis.get(keys.retrainingLastDispatch(MODEL)),
    ).toMatch(/^\d+$/);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.channel).toBe("C0RELEASES");
    expect(posts[0]?.text).toContain(
      "Retraining of *churn* started: `train.yml` on `master`, <https://github.com/example-user/Hello-World/actions/runs/30433642|workflow run 30433642>.",
    );
    expect(comments).toEqual([
      expect.stringContaining(
        "Gantry started retraining of churn: workflow train.yml on master, run https://github.com/example-user/Hello-World/actions/runs/30433642.",
      ),
    ]);
  });

  it("sends an empty ticket and replies to /retrain", async () => {
    const run = await queuedRun(services(), "slack:t1", {
      source: "slack",
      ticket: undefined,
      requestedBy: "U0000001",
      reason: "requested in Slack",
      responseUrl: RESPONSE_URL,
    });
    nockInstallationToken();
    nockRepository();
    const dispatches = nockDispatch();
    nockListRuns([{ id: 7 }]);
    nockSlackPosts();
    const replies: string[] = [];
    nock("https://hooks.slack.com")
      .post("/commands/T0000001/3/token3")
      .reply(200, (_uri, body) => {
        replies.push((body as { text: string }).text);
        return "ok";
      });

    await retrainingRunJob.process({ runId: run.id }, services(), never());

    expect(dispatches).toEqual([
      {
        ref: "master",
        inputs: {
          model: "churn",
          reason: "requested in Slack",
          ticket: "",
          requested_by: "U0000001",
        },
      },
    ]);
    expect(replies).toEqual([
      expect.stringContaining("Started retraining of churn"),
    ]);
  });

  it("adopts the run an earlier try dispatched", async () => {
    const run = await queuedRun(services(), "drift:fp1");
    const runs = new RetrainingRunStore(services().redis);
    await runs.setFields(run.id, {
      dispatchAttemptedAt: new Date().toISOString(),
    });
    nockInstallationToken();
    nockRepository();
    nockListRuns([{ id: 99 }]);
    nockSlackPosts();
    nockJiraComments("MLOPS-12");

    await retrainingRunJob.process({ runId: run.id }, services(), never());

    expect((await runs.get(run.id))?.workflowRunId).toBe(99);
    expect((await runs.get(run.id))?.status).toBe("dispatched");
  });

  it("skips a workflow run that another retraining run holds", async () => {
    const run = await queuedRun(services(), "drift:fp1");
    const runs = new RetrainingRunStore(services().redis);
    await services().redis.set(
      keys.retrainingByWorkflowRun(REPO, 98),
      "rtr_other",
    );
    nockInstallationToken();
    nockRepository();
    nockDispatch();
    const older = new Date(Date.now() - 1000).toISOString();
    nockListRuns([{ id: 98, createdAt: older }, { id: 99 }]);
    nockSlackPosts();
    nockJiraComments("MLOPS-12");

    await retrainingRunJob.process({ runId: run.id }, services(), never());

    expect((await runs.get(run.id))?.workflowRunId).toBe(99);
  });

  it("reports a rejected dispatch and frees the model", async () => {
    const run = await queuedRun(services(), "drift:fp1");
    nockInstallationToken();
    nockRepository();
    nockDispatch(422);
    const posts = nockSlackPosts();
    const comments = nockJiraComments("MLOPS-12");

    const error = await retrainingRunJob
      .process({ runId: run.id }, services(), never())
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(isGantryError(error, "upstream_rejected")).toBe(true);
    expect((error as { retryable?: boolean }).retryable).toBe(false);
    await retrainingRunJob.giveUp?.(
      { runId: run.id },
      error as Error,
      services(),
    );

    const runs = new RetrainingRunStore(services().redis);
    expect((await runs.get(run.id))?.status).toBe("completed");
    expect((await runs.get(run.id))?.outcome).toBe("dispatch_failed");
    expect(await runs.inFlight(MODEL)).toBeUndefined();
    expect(posts[0]?.text).toContain(
      "Retraining of churn could not start: GitHub rejected the workflow_dispatch of train.yml in example-user/Hello-World with 422",
    );
    expect(posts[0]?.text).toContain(
      "declares the string inputs model, reason, ticket and requested_by",
    );
    expect(comments[0]).toContain("Retraining of churn could not start");
  });
});

/** Returns a stand-in for the job argument, which these processors do not read. */
function never(): never {
  return undefined as never;
}
