import type { Probot } from "probot";
import { describe, expect, it } from "vitest";
import { readJsonFixture } from "../../scripts/fixtures.js";
import {
  INSTALLATION_ID,
  jobIds,
  REPO,
  SAMPLE_CONFIG,
  storeConfig,
  testProbot,
  useRetrainingServices,
} from "./helpers.js";

const { services } = useRetrainingServices();

/** The workflow_run fixture moved to the test repository and its training workflow. */
function workflowRunPayload(
  params: {
    conclusion?: "success" | "failure";
    path?: string;
  } = {},
): Record<string, any> {
  const payload = readJsonFixture<Record<string, any>>(
    `github/workflow_run.completed.${params.conclusion ?? "success"}.json`,
  );
  payload.repository = {
    ...payload.repository,
    name: "Hello-World",
    full_name: REPO,
    owner: { ...payload.repository.owner, login: "example-user" },
  };
  payload.workflow_run = {
    ...payload.workflow_run,
    id: 555,
    event: "workflow_dispatch",
    path: params.path ?? ".github/workflows/train.yml",
  };
  payload.installation = { id: INSTALLATION_ID };
  return payload;
}

function pullRequestPayload(
  change: (payload: Record<string, any>) => void = () => undefined,
): Record<string, any> {
  const payload = readJsonFixture<Record<string, any>>(
    "github/pull_request.closed.merged.json",
  );
  payload.installation = { id: INSTALLATION_ID };
  change(payload);
  return payload;
}

async function receive(name: string, payload: Record<string, any>) {
  const probot = await testProbot(services());
  await probot.receive({
    id: "delivery-1",
    name,
    payload,
  } as Parameters<Probot["receive"]>[0]);
}

describe("workflow_run handler", () => {
  it("queues a completed training workflow run", async () => {
    await receive("workflow_run", workflowRunPayload());

    const jobs = await services()
      .queues.queue("{retraining-outcomes}")
      .getJobs(["waiting"]);
    expect(jobs.map((job) => job.id)).toEqual([`workflow-run.${REPO}.555.1`]);
    expect(jobs[0]?.data).toEqual({
      repo: REPO,
      workflowRunId: 555,
      workflowId: 2_823_525,
      workflowPath: ".github/workflows/train.yml",
      event: "workflow_dispatch",
      conclusion: "success",
      createdAt: "2020-10-05T16:33:24Z",
      runStartedAt: "2020-10-05T16:33:49Z",
      htmlUrl:
        "https://github.com/example-org/octo-repo/actions/runs/289782451",
    });
  });

  it("ignores other workflows", async () => {
    await receive(
      "workflow_run",
      workflowRunPayload({ path: ".github/workflows/test.yml" }),
    );

    expect(await jobIds(services(), "{retraining-outcomes}")).toEqual([]);
  });

  it("matches a training workflow given by id", async () => {
    await storeConfig(
      services(),
      SAMPLE_CONFIG.replace(
        "training_workflow: train.yml",
        'training_workflow: "2823525"',
      ),
    );

    await receive(
      "workflow_run",
      workflowRunPayload({ path: ".github/workflows/test.yml" }),
    );

    expect(await jobIds(services(), "{retraining-outcomes}")).toEqual([
      `workflow-run.${REPO}.555.1`,
    ]);
  });
});

describe("pull_request handler", () => {
  it("queues a merged pull request", async () => {
    await receive("pull_request", pullRequestPayload());

    const jobs = await services()
      .queues.queue("{merged-pull-requests}")
      .getJobs(["waiting"]);
    expect(jobs.map((job) => job.id)).toEqual([
      `merged-pull-request.${REPO}#2`,
    ]);
    expect(jobs[0]?.data).toEqual({
      repo: REPO,
      installationId: INSTALLATION_ID,
      pullNumber: 2,
      title: "Update the README with new information.",
      mergedBy: "example-user",
    });
  });

  it("ignores a pull request closed without merging", async () => {
    await receive(
      "pull_request",
      pullRequestPayload((payload) => {
        payload.pull_request.merged = false;
        payload.pull_request.merged_by = null;
      }),
    );

    expect(await jobIds(services(), "{merged-pull-requests}")).toEqual([]);
  });

  it("ignores a merge into another branch", async () => {
    await receive(
      "pull_request",
      pullRequestPayload((payload) => {
        payload.pull_request.base.ref = "release-1.0";
      }),
    );

    expect(await jobIds(services(), "{merged-pull-requests}")).toEqual([]);
  });

  it("ignores a repository whose models declare no paths", async () => {
    await storeConfig(
      services(),
      SAMPLE_CONFIG.replace("    paths: [models/churn/**]\n", ""),
    );

    await receive("pull_request", pullRequestPayload());

    expect(await jobIds(services(), "{merged-pull-requests}")).toEqual([]);
  });
});
