import nock from "nock";
import { describe, expect, it } from "vitest";
import {
  mergedPullRequestJob,
  type MergedPullRequestData,
} from "../../jobs/merged-pull-request.js";
import { RetrainingRunStore } from "../../src/retraining/run-store.js";
import {
  GITHUB_API,
  INSTALLATION_ID,
  jobIds,
  MODEL,
  nockInstallationToken,
  REPO,
  useRetrainingServices,
} from "./helpers.js";

const { services } = useRetrainingServices();

const DATA: MergedPullRequestData = {
  repo: REPO,
  installationId: INSTALLATION_ID,
  pullNumber: 2,
  title: "Update the README with new information.",
  mergedBy: "example-user",
};

type File = { filename: string; previous_filename?: string };

/** Serves a pull request's files in pages of `perPage`, linked by rel="next" as GitHub does. */
function nockPullFiles(files: File[], perPage = 100): void {
  const pages = Math.max(1, Math.ceil(files.length / perPage));
  for (let page = 1; page <= pages; page++) {
    const query: Record<string, string> = { per_page: String(perPage) };
    if (page > 1) query.page = String(page);
    const next = `${GITHUB_API}/repos/${REPO}/pulls/2/files?per_page=${perPage}&page=${page + 1}`;
    nock(GITHUB_API)
      .get(`/repos/${REPO}/pulls/2/files`)
      .query(query)
      .reply(
        200,
        files.slice((page - 1) * perPage, page * perPage).map((file) => ({
          sha: "bbcd538c8e72b8c175046e27cc8f907076331401",
          status: file.previous_filename ? "renamed" : "modified",
          additions: 1,
          deletions: 0,
          changes: 1,
          ...file,
        })),
        page < pages ? { link: `<${next}>; rel="next"` } : {},
      );
  }
}

function readmeFiles(count: number): File[] {
  return Array.from({ length: count }, (_, i) => ({
    filename: `docs/page-${i}.md`,
  }));
}

async function process(): Promise<void> {
  await mergedPullRequestJob.process(DATA, services(), undefined as never);
}

describe("merged pull request job", () => {
  it("retrains a model whose paths match a file on the second page", async () => {
    nockInstallationToken();
    nockPullFiles([
      ...readmeFiles(100),
      { filename: "models/churn/features/tenure.py" },
    ]);

    await process();

    expect(await jobIds(services(), "{retraining-runs}")).toEqual([
      `retrain.pull_request.${REPO}#2.${MODEL.replace(":", ".")}`,
    ]);
    const runs = new RetrainingRunStore(services().redis);
    expect(await runs.get((await runs.inFlight(MODEL)) ?? "")).toMatchObject({
      source: "pull_request",
      reason: "pull request #2 merged: Update the README with new information.",
      requestedBy: "example-user",
    });
  });

  it("starts nothing when no file matches", async () => {
    nockInstallationToken();
    nockPullFiles([
      ...readmeFiles(3),
      { filename: "models/churn-v2/train.py" },
      { filename: "models/churn.md" },
    ]);

    await process();

    expect(await jobIds(services(), "{retraining-runs}")).toEqual([]);
  });

  it("matches the old path of a renamed file", async () => {
    nockInstallationToken();
    nockPullFiles([
      {
        filename: "archive/tenure.py",
        previous_filename: "models/churn/tenure.py",
      },
    ]);

    await process();

    expect(await jobIds(services(), "{retraining-runs}")).toHaveLength(1);
  });
});
