import type { ModelEntry } from "../src/config/config-registry.js";
import type { JobDefinition } from "../src/queues.js";
import { deployWinner } from "../src/retraining/deploy-winner.js";
import { evaluateTrainedVersion } from "../src/retraining/evaluate-version.js";
import { completeRun, sendOutcomeNotice } from "../src/retraining/notify.js";
import type { RetrainingOutcome } from "../src/retraining/outcome.js";
import type { RetrainingRun } from "../src/retraining/retraining-run.js";
import { RetrainingRunStore } from "../src/retraining/run-store.js";
import { isTrainingWorkflow } from "../src/retraining/training-workflow.js";
import type { Services } from "../src/services.js";
import { retrainingOutcome } from "../templates/retraining-outcome.js";

/** A completed workflow run of a training workflow, from its workflow_run webhook. */
export type RetrainingOutcomeData = {
  repo: string;
  workflowRunId: number;
  workflowId: number;
  workflowPath: string;
  event: string;
  conclusion: string;
  createdAt: string;
  runStartedAt: string | undefined;
  htmlUrl: string;
};

/**
 * How far before the dispatch request a workflow run's creation time may lie
 * and still be matched to it, to allow for clock skew with GitHub.
 */
const CLOCK_SKEW_MS = 60_000;

/**
 * Turns a completed training workflow run into the retraining run's
 * outcome. Steps: find the retraining run, evaluate the new version and
 * deploy a winner, complete the run, and post the outcome in Slack and on
 * the drift ticket. A retraining run is found by the workflow run id, or
 * else as the model's run in flight that dispatched this workflow.
 */
export const retrainingOutcomeJob: JobDefinition<RetrainingOutcomeData> = {
  queue: "{retraining-outcomes}",
  options: {},

  async process(data, services) {
    const run = await findRetrainingRun(services, data);
    if (!run) {
      services.log.debug(
        { repo: data.repo, workflowRunId: data.workflowRunId },
        "workflow run is not a retraining run",
      );
      return;
    }
    if (run.status === "completed") {
      await sendOutcomeNotice(services, run.id);
      return;
    }

    const entry = await services.registry.entry(run.modelKey);
    const outcome = await decideOutcome(services, { run, entry, data });
    const notice = retrainingOutcome(run, outcome);
    await completeRun(services, run, outcome.kind, {
      step: "outcome",
      ...notice,
    });
  },

  async giveUp(data, error, services) {
    const runs = new RetrainingRunStore(services.redis);
    const run = await runs.findByWorkflowRun(data.repo, data.workflowRunId);
    if (!run || run.status === "completed") return;

    services.log.error(
      {
        err: error,
        retrainingRunId: run.id,
        workflowRunId: data.workflowRunId,
      },
      "retraining outcome could not be evaluated",
    );
    const notice = retrainingOutcome(run, {
      kind: "evaluation_failed",
      detail: error.message,
    });
    await completeRun(services, run, "evaluation_failed", {
      step: "outcome",
      ...notice,
    });
  },
};

async function decideOutcome(
  services: Services,
  params: {
    run: RetrainingRun;
    entry: ModelEntry | undefined;
    data: RetrainingOutcomeData;
  },
): Promise<RetrainingOutcome> {
  const { run, entry, data } = params;
  if (!entry) return { kind: "model_removed" };
  if (data.conclusion !== "success")
    return { kind: "training_failed", conclusion: data.conclusion };

  const evaluation = await evaluateTrainedVersion(services, {
    entry,
    workflowRunId: data.workflowRunId,
    startedAt: new Date(data.runStartedAt ?? data.createdAt),
  });
  if (!evaluation) return { kind: "no_version" };

  const decision = await deployWinner(services, { run, entry, evaluation });
  return { ...decision, evaluation };
}

/**
 * Finds the retraining run a workflow run belongs to: the one linked to its
 * id, or else an unlinked run of the repository that dispatched this
 * workflow. That run must have sent its dispatch before the workflow run
 * was created.
 */
async function findRetrainingRun(
  services: Services,
  data: RetrainingOutcomeData,
): Promise<RetrainingRun | undefined> {
  const runs = new RetrainingRunStore(services.redis);
  const linked = await runs.findByWorkflowRun(data.repo, data.workflowRunId);
  if (linked) return linked;
  if (data.event !== "workflow_dispatch") return undefined;

  const workflow = { path: data.workflowPath, id: data.workflowId };
  const created = Date.parse(data.createdAt);
  // NOTE: two models that share one training workflow and dispatch within a
  // minute of each other can be matched to each other's workflow runs here.
  for (const modelKey of await services.registry.modelKeys()) {
    if (!modelKey.startsWith(`${data.repo}:`)) continue;
    const runId = await runs.inFlight(modelKey);
    const run = runId ? await runs.get(runId) : undefined;
    if (!run?.dispatchAttemptedAt || run.workflowRunId !== undefined) continue;
    if (run.status === "completed") continue;
    if (!isTrainingWorkflow(run.workflow, workflow)) continue;
    if (created < Date.parse(run.dispatchAttemptedAt) - CLOCK_SKEW_MS) continue;

    const url = data.htmlUrl;
    if (await runs.linkWorkflowRun(run, { id: data.workflowRunId, url }))
      return (await runs.get(run.id)) ?? run;
  }
  return undefined;
}
