import nock from "nock";
import { describe, expect, it } from "vitest";
import {
  retrainingOutcomeJob,
  type RetrainingOutcomeData,
} from "../../jobs/retraining-outcome.js";
import { PROMOTION_STATUSES } from "../../src/promotion.js";
import { RetrainingRunStore } from "../../src/retraining/run-store.js";
import {
  dispatchedRun,
  jobIds,
  MODEL,
  nockAlias,
  nockGetVersion,
  nockJiraComments,
  nockRunMetrics,
  nockSearchVersions,
  nockSlackPosts,
  REPO,
  useRetrainingServices,
} from "./helpers.js";

const { services } = useRetrainingServices();

const STARTED = Date.parse("2026-05-11T02:00:30Z");
const TAG_FILTER =
  "name = 'churn-model' AND tags.`gantry.github_run_id` = '555'";

function outcomeData(
  overrides: Partial<RetrainingOutcomeData> = {},
): RetrainingOutcomeData {
  return {
    repo: REPO,
    workflowRunId: 555,
    workflowId: 2_823_525,
    workflowPath: ".github/workflows/train.yml",
    event: "workflow_dispatch",
    conclusion: "success",
    createdAt: "2026-05-11T02:00:05Z",
    runStartedAt: "2026-05-11T02:00:30Z",
    htmlUrl: `https://github.com/${REPO}/actions/runs/555`,
    ...overrides,
  };
}

/** Fakes the search by tag, returning version 43, and its run's metrics. */
function nockTaggedVersion(metrics: Record<string, number>): void {
  nockSearchVersions({
    filter: TAG_FILTER,
    maxResults: 10,
    versions: [{ version: "43", tags: { "gantry.github_run_id": "555" } }],
  });
  nockRunMetrics("run43", metrics);
}

/** Fakes the champion lookup, in which production has version 41 with these metrics. */
function nockProductionChampion(metrics: Record<string, number>): void {
  nockAlias("production", "41");
  nockRunMetrics("run41", metrics);
}

/** Fakes the MLflow reads of opening a promotion of version 43 to dev. */
function nockOpenPromotion(metrics: Record<string, number>): void {
  nockGetVersion("43");
  nockRunMetrics("run43", metrics);
  nockAlias("dev");
}

async function promotions() {
  return services().store.listByStatus(MODEL, PROMOTION_STATUSES);
}

async function process(data = outcomeData()): Promise<void> {
  await retrainingOutcomeJob.process(data, services(), undefined as never);
}

describe("retraining outcome job", () => {
  it("promotes a better version to dev and queues its deployment", async () => {
    const run = await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      workflowRunId: 555,
    });
    const better = { accuracy: 0.95, latency_p99_ms: 1400 };
    nockTaggedVersion(better);
    nockProductionChampion({ accuracy: 0.91, latency_p99_ms: 1800 });
    nockOpenPromotion(better);
    const posts = nockSlackPosts();
    const comments = nockJiraComments("MLOPS-12");

    await process();

    const [promotion, ...others] = await promotions();
    expect(others).toEqual([]);
    expect(promotion).toMatchObject({
      version: "43",
      environment: "dev",
      requestedBy: "gantry",
      requiredApprovals: 0,
      status: "approved",
    });
    expect(await jobIds(services(), "{deployments}")).toEqual([
      `deploy.${promotion?.id}`,
    ]);
    const runs = new RetrainingRunStore(services().redis);
    expect(await runs.get(run.id)).toMatchObject({
      status: "completed",
      outcome: "promoted",
    });
    expect(await runs.inFlight(MODEL)).toBeUndefined();
    expect(posts.map((post) => post.channel)).toEqual(["C0RELEASES"]);
    expect(posts[0]?.text).toContain(
      `Retraining of churn produced version 43, which passes its gates and beats version 41 (production). Gantry opened promotion ${promotion?.id} to dev.`,
    );
    expect(posts[0]?.text).toContain(
      "accuracy: 0.95, gate &gt;= 0.90 passed; v41: 0.91 (better)",
    );
    expect(comments).toHaveLength(1);
    expect(comments[0]).toContain(
      "latency_p99_ms: 1400, gate <= 2000 passed; v41: 1800 (better)",
    );
  });

  it("reports a worse version with its numbers", async () => {
    await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      workflowRunId: 555,
    });
    nockTaggedVersion({ accuracy: 0.92, latency_p99_ms: 1500 });
    nockProductionChampion({ accuracy: 0.95, latency_p99_ms: 1400 });
    const posts = nockSlackPosts();
    const comments = nockJiraComments("MLOPS-12");

    await process();

    expect(await promotions()).toEqual([]);
    expect(await jobIds(services(), "{deployments}")).toEqual([]);
    expect(posts[0]?.text).toContain(
      "Retraining of churn produced version 43, which passes its gates but does not beat version 41 (production). Nothing was deployed.",
    );
    expect(comments[0]).toContain(
      "- accuracy: 0.92, gate >= 0.90 passed; v41: 0.95 (worse)",
    );
    expect(comments[0]).toContain(
      "- latency_p99_ms: 1500, gate <= 2000 passed; v41: 1400 (worse)",
    );
  });

  it("reports a version that fails a gate", async () => {
    await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      workflowRunId: 555,
    });
    nockTaggedVersion({ accuracy: 0.85 });
    nockProductionChampion({ accuracy: 0.8, latency_p99_ms: 1400 });
    nockSlackPosts();
    const comments = nockJiraComments("MLOPS-12");

    await process();

    expect(await promotions()).toEqual([]);
    expect(comments[0]).toContain(
      "which failed its gates (accuracy 0.85, gate >= 0.90; latency_p99_ms not logged, gate <= 2000). Nothing was deployed.",
    );
  });

  it("takes the newest version since the start when no tag matches", async () => {
    await dispatchedRun(services(), {
      dedupeKey: "slack:t1",
      workflowRunId: 555,
      request: { source: "slack", ticket: undefined },
    });
    nockSearchVersions({ filter: TAG_FILTER, maxResults: 10, versions: [] });
    nockSearchVersions({
      filter: "name = 'churn-model'",
      orderBy: "creation_timestamp DESC",
      maxResults: 20,
      versions: [
        { version: "44", createdAt: STARTED - 2 * 3_600_000 },
        { version: "43", createdAt: STARTED + 600_000 },
        { version: "42", createdAt: STARTED - 3_600_000 },
      ],
    });
    const metrics = { accuracy: 0.93, latency_p99_ms: 1500 };
    nockRunMetrics("run43", metrics);
    for (const alias of ["production", "staging", "dev"]) nockAlias(alias);
    nockOpenPromotion(metrics);
    const posts = nockSlackPosts();

    await process();

    expect((await promotions()).map((promotion) => promotion.version)).toEqual([
      "43",
    ]);
    expect(posts[0]?.text).toContain(
      "No version carries the gantry.github_run_id tag; version 43 is the newest registered since the run started.",
    );
    expect(posts[0]?.text).toContain(
      "beats the champion (no environment has a version yet)",
    );
  });

  it("reports a run that registered no version", async () => {
    await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      workflowRunId: 555,
    });
    nockSearchVersions({ filter: TAG_FILTER, maxResults: 10, versions: [] });
    nockSearchVersions({
      filter: "name = 'churn-model'",
      orderBy: "creation_timestamp DESC",
      maxResults: 20,
      versions: [{ version: "42", createdAt: STARTED - 3_600_000 }],
    });
    const posts = nockSlackPosts();
    nockJiraComments("MLOPS-12");

    await process();

    expect(await promotions()).toEqual([]);
    expect(posts[0]?.text).toContain(
      'MLflow model "churn-model" has no version tagged gantry.github_run_id=555 and none registered since the run started.',
    );
  });

  it("reports a failed training run", async () => {
    const run = await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      workflowRunId: 555,
    });
    const posts = nockSlackPosts();
    const comments = nockJiraComments("MLOPS-12");

    await process(outcomeData({ conclusion: "failure" }));

    const runs = new RetrainingRunStore(services().redis);
    expect((await runs.get(run.id))?.outcome).toBe("training_failed");
    expect(await runs.inFlight(MODEL)).toBeUndefined();
    expect(posts[0]?.text).toContain(
      'Retraining of churn failed: the training workflow run ended with conclusion "failure". Nothing was deployed.',
    );
    expect(posts[0]?.text).toContain(
      `<https://github.com/${REPO}/actions/runs/555|Workflow run 555>`,
    );
    expect(comments[0]).toContain(
      `Workflow run: https://github.com/${REPO}/actions/runs/555`,
    );
  });

  it("matches an unlinked run by its dispatch", async () => {
    const run = await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      at: new Date("2026-05-11T02:00:00Z"),
    });
    nockSlackPosts();
    nockJiraComments("MLOPS-12");

    await process(outcomeData({ conclusion: "failure" }));

    const runs = new RetrainingRunStore(services().redis);
    expect(await runs.get(run.id)).toMatchObject({
      workflowRunId: 555,
      outcome: "training_failed",
    });
  });

  it("leaves runs alone for a workflow run it did not dispatch", async () => {
    const run = await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      at: new Date("2026-05-11T02:00:00Z"),
    });

    await process(outcomeData({ event: "push", conclusion: "failure" }));
    await process(
      outcomeData({ createdAt: "2026-05-11T01:50:00Z", conclusion: "failure" }),
    );

    const runs = new RetrainingRunStore(services().redis);
    expect((await runs.get(run.id))?.status).toBe("dispatched");
    expect(await runs.inFlight(MODEL)).toBe(run.id);
  });

  it("sends nothing twice for a redelivered completion", async () => {
    await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      workflowRunId: 555,
    });
    const posts = nockSlackPosts();
    const comments = nockJiraComments("MLOPS-12");

    await process(outcomeData({ conclusion: "failure" }));
    await process(outcomeData({ conclusion: "failure" }));

    expect(posts).toHaveLength(1);
    expect(comments).toHaveLength(1);
  });

  it("sends the rest of the notice when Jira failed on the last try", async () => {
    await dispatchedRun(services(), {
      dedupeKey: "drift:fp1",
      workflowRunId: 555,
    });
    const posts = nockSlackPosts();
    nock("https://jira.test")
      .post("/rest/api/2/issue/MLOPS-12/comment")
      .reply(503, { errorMessages: ["unavailable"] });

    await expect(
      process(outcomeData({ conclusion: "failure" })),
    ).rejects.toThrow();
    const comments = nockJiraComments("MLOPS-12");
    await process(outcomeData({ conclusion: "failure" }));

    expect(posts).toHaveLength(1);
    expect(comments).toHaveLength(1);
  });
});
