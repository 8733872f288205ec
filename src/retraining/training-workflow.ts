import type { ProbotOctokit } from "probot";
import { GantryError } from "../errors.js";
import type { RetrainingRun } from "./retraining-run.js";

/**
 * The inputs of a retraining run's workflow_dispatch: a public contract with
 * the repository's training workflow, which declares them as string inputs.
 */
export type TrainingWorkflowInputs = {
  model: string;
  reason: string;
  /** The Jira key of the drift ticket, or empty. */
  ticket: string;
  requested_by: string;
};

/** Maximum length of the reason input, in characters. Longer reasons are cut. */
const MAX_REASON_LENGTH = 1000;

/**
 * How far before the dispatch request a run's creation time may lie and
 * still be taken for the dispatched run, to allow for clock skew with GitHub.
 */
const CLOCK_SKEW_MS = 60_000;

export function trainingWorkflowInputs(
  run: RetrainingRun,
): TrainingWorkflowInputs {
  return {
    model: run.modelName,
    reason: Array.from(run.reason).slice(0, MAX_REASON_LENGTH).join(""),
    ticket: run.ticket ?? "",
    requested_by: run.requestedBy,
  };
}

/** Tells whether a workflow run's workflow is a model's `training_workflow` (a file name or a numeric id). */
export function isTrainingWorkflow(
  trainingWorkflow: string,
  workflow: { path: string; id: number },
): boolean {
  if (/^\d+$/.test(trainingWorkflow))
    return Number(trainingWorkflow) === workflow.id;
  const file = trainingWorkflow.replace(/^\.github\/workflows\//, "");
  return workflow.path === `.github/workflows/${file}`;
}

export function splitRepo(fullName: string): { owner: string; repo: string } {
  const [owner = "", repo = ""] = fullName.split("/");
  return { owner, repo };
}

/**
 * Sends the workflow_dispatch of a run's training workflow on `ref`. A 4xx
 * response (no such workflow, no workflow_dispatch trigger, undeclared
 * inputs) becomes a final error that names what to fix. A 429 and other
 * failures are retried.
 */
export async function dispatchTrainingWorkflow(
  octokit: ProbotOctokit,
  run: RetrainingRun,
  ref: string,
): Promise<void> {
  try {
    await octokit.rest.actions.createWorkflowDispatch({
      ...splitRepo(run.repo),
      workflow_id: run.workflow,
      ref,
      inputs: trainingWorkflowInputs(run),
    });
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status === "number" && status >= 400 && status < 500) {
      if (status === 429) throw error;
      throw new GantryError(
        "upstream_rejected",
        `GitHub rejected the workflow_dispatch of ${run.workflow} in ${run.repo} with ${status} (${(error as Error).message}); check that the workflow exists on ${ref}, has a workflow_dispatch trigger and declares the string inputs model, reason, ticket and requested_by`,
        { retryable: false, cause: error },
      );
    }
    throw error;
  }
}

/**
 * Finds the workflow run that a dispatch started: the oldest workflow_dispatch
 * run of the workflow on `ref`, created since the dispatch request, that
 * `isTaken` does not claim for another retraining run.
 */
export async function findDispatchedRun(
  octokit: ProbotOctokit,
  params: {
    run: RetrainingRun;
    ref: string;
    since: Date;
    isTaken: (workflowRunId: number) => Promise<boolean>;
  },
): Promise<{ id: number; url: string } | undefined> {
  const since = new Date(params.since.getTime() - CLOCK_SKEW_MS);
  const { data } = await octokit.rest.actions.listWorkflowRuns({
    ...splitRepo(params.run.repo),
    workflow_id: params.run.workflow,
    event: "workflow_dispatch",
    branch: params.ref,
    created: `>=${since.toISOString().replace(/\.\d{3}Z$/, "Z")}`,
    per_page: 30,
  });

  const candidates = data.workflow_runs
    .filter((workflowRun) => Date.parse(workflowRun.created_at) >= +since)
    .sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at));
  for (const candidate of candidates) {
    if (!(await params.isTaken(candidate.id)))
      return { id: candidate.id, url: candidate.html_url };
  }
  return undefined;
}
