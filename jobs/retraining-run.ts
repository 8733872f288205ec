import { parseDuration } from "../src/config/duration.js";
import type { JobDefinition } from "../src/queues.js";
import { completeRun, notifyRetraining } from "../src/retraining/notify.js";
import {
  retrainingRunId,
  type RetrainingRun,
  type RetrainingSource,
} from "../src/retraining/retraining-run.js";
import { RetrainingRunStore } from "../src/retraining/run-store.js";
import {
  dispatchTrainingWorkflow,
  findDispatchedRun,
  splitRepo,
} from "../src/retraining/training-workflow.js";
import type { Services } from "../src/services.js";
import { retrainingOutcome } from "../templates/retraining-outcome.js";
import { retrainingStarted } from "../templates/retraining-started.js";

/** A request to run a model's training workflow, with its reason and requester. */
export type RetrainingRequest = {
  modelKey: string;
  reason: string;
  /** Jira key of the drift ticket, which gets a comment with the run's outcome. */
  ticket: string | undefined;
  requestedBy: string;
  source: RetrainingSource;
  responseUrl?: string;
  /** The Slack channel of the request, for notices when the model configures no channel. */
  channel?: string;
};

export type RetrainingRunData = { runId: string };

/** Cooldown used when the repository sets none, as in the configuration schema. */
const DEFAULT_COOLDOWN = "24h";

/**
 * Delays before each listing of workflow runs while looking for the
 * dispatched run. GitHub lists a run a few seconds after the dispatch.
 */
const FIND_RUN_DELAYS_MS = [0, 1000, 2000, 3000, 5000];

/**
 * Queues a retraining run unless the model has no training workflow, a run
 * is in flight for the model, or (for a drift request) the model's
 * `retrain.on_drift` is off or its `retrain.cooldown` since the last
 * dispatch has not passed. A request turned away is logged with the reason,
 * which the caller may show. `dedupeKey` names the request: the run and its
 * job get ids from it, so a repeated request (a redelivered webhook, a cron
 * tick on two replicas) queues one run.
 */
export async function requestRetraining(
  services: Services,
  request: RetrainingRequest,
  dedupeKey: string,
): Promise<{ queued: boolean; why?: string }> {
  const log = services.log.child({
    model: request.modelKey,
    source: request.source,
    dedupeKey,
  });
  const checked = await checkRequest(
    services,
    request,
    retrainingRunId(dedupeKey),
  );
  if ("why" in checked) {
    log.info({ why: checked.why }, "retraining request turned away");
    return { queued: false, why: checked.why };
  }

  const { run, cooldownMs, cooldown } = checked;
  const runs = new RetrainingRunStore(services.redis);
  const reserved = await runs.reserve(run, { cooldownMs, now: new Date() });

  if (reserved.result === "in_flight" || reserved.result === "cooldown") {
    const why =
      reserved.result === "in_flight"
        ? inFlightReason(run.modelName, reserved.holder)
        : cooldownReason(run.modelName, reserved.lastDispatchAt, {
            cooldown,
            cooldownMs,
          });
    log.info({ why }, "retraining request turned away");
    return { queued: false, why };
  }

  // A repeated request adds the job again, in case the first add was lost.
  await services.queues.add(
    retrainingRunJob,
    { runId: run.id },
    `retrain:${dedupeKey}`,
  );
  log.info(
    { retrainingRunId: run.id, repeated: reserved.result === "duplicate" },
    "retraining queued",
  );
  return { queued: true };
}

type CheckedRequest =
  | { run: RetrainingRun; cooldownMs: number; cooldown: string }
  | { why: string };

async function checkRequest(
  services: Services,
  request: RetrainingRequest,
  runId: string,
): Promise<CheckedRequest> {
  const entry = await services.registry.entry(request.modelKey);
  if (!entry)
    return {
      why: `Model ${request.modelKey} is not configured; check .github/gantry.yml in its repository.`,
    };
  const workflow = entry.model.training_workflow;
  if (!workflow)
    return {
      why: `${entry.name} has no training_workflow in ${entry.repo}'s .github/gantry.yml, so there is no workflow to dispatch.`,
    };

  const cooldown = entry.retrain?.cooldown ?? DEFAULT_COOLDOWN;
  let cooldownMs = 0;
  if (request.source === "drift") {
    if (!entry.retrain?.on_drift)
      return {
        why: `retrain.on_drift is not set in ${entry.repo}'s .github/gantry.yml, so a drift alert does not retrain ${entry.name}.`,
      };
    cooldownMs = parseDuration(cooldown) ?? 0;
  }

  const run: RetrainingRun = {
    id: runId,
    modelKey: entry.key,
    modelName: entry.name,
    repo: entry.repo,
    installationId: entry.installationId,
    registryName: entry.model.registry,
    workflow,
    reason: request.reason,
    ticket: request.ticket,
    requestedBy: request.requestedBy,
    source: request.source,
    responseUrl: request.responseUrl,
    channel: request.channel,
    status: "queued",
    requestedAt: new Date().toISOString(),
  };
  return { run, cooldownMs, cooldown };
}

function inFlightReason(
  modelName: string,
  holder: RetrainingRun | undefined,
): string {
  if (!holder)
    return `A retraining run of ${modelName} is already in flight; wait for it to complete.`;
  const link = holder.workflowRunUrl ? ` (${holder.workflowRunUrl})` : "";
  return `A retraining run of ${modelName} is already in flight${link}, requested by ${holder.requestedBy} at ${holder.requestedAt}; wait for it to complete.`;
}

function cooldownReason(
  modelName: string,
  lastDispatchAt: Date,
  params: { cooldown: string; cooldownMs: number },
): string {
  const until = new Date(lastDispatchAt.getTime() + params.cooldownMs);
  return `${modelName} was last retrained at ${lastDispatchAt.toISOString()}; drift retraining waits for retrain.cooldown (${params.cooldown}), until ${until.toISOString()}.`;
}

/**
 * Dispatches a queued run's training workflow on the default branch and
 * finds the workflow run it started. Steps: read the default branch, look
 * for a run that an earlier try dispatched, dispatch, mark the run
 * dispatched, find and link its workflow run, and announce the start. A
 * workflow run not listed within about 11 s is linked later, when its
 * workflow_run webhook arrives.
 */
export const retrainingRunJob: JobDefinition<RetrainingRunData> = {
  queue: "{retraining-runs}",
  options: {},

  async process(data, services) {
    const runs = new RetrainingRunStore(services.redis);
    const run = await runs.get(data.runId);
    if (run?.status !== "queued") {
      services.log.debug(
        { retrainingRunId: data.runId, status: run?.status },
        "retraining run not awaiting dispatch",
      );
      return;
    }

    const octokit = await services.github(run.installationId);
    const { data: repository } = await octokit.rest.repos.get(
      splitRepo(run.repo),
    );
    const ref = repository.default_branch;
    const isTaken = async (workflowRunId: number) => {
      const holder = await runs.workflowRunHolder(run.repo, workflowRunId);
      return holder !== undefined && holder !== run.id;
    };

    // A try that failed after GitHub accepted the dispatch left a run to adopt.
    let found = run.dispatchAttemptedAt
      ? await findDispatchedRun(octokit, {
          run,
          ref,
          since: new Date(run.dispatchAttemptedAt),
          isTaken,
        })
      : undefined;
    const since = run.dispatchAttemptedAt ?? new Date().toISOString();
    if (!found) {
      await runs.setFields(run.id, { dispatchAttemptedAt: since });
      await dispatchTrainingWorkflow(octokit, run, ref);
    }
    await runs.markDispatched(run, { at: new Date(), ref });
    services.log.info(
      { retrainingRunId: run.id, model: run.modelKey, ref },
      "training workflow dispatched",
    );

    for (const delay of FIND_RUN_DELAYS_MS) {
      if (found) break;
      await new Promise((resolve) => setTimeout(resolve, delay));
      found = await findDispatchedRun(octokit, {
        run,
        ref,
        since: new Date(since),
        isTaken,
      });
    }
    if (found && (await runs.linkWorkflowRun(run, found))) {
      services.log.info(
        { retrainingRunId: run.id, workflowRunId: found.id },
        "retraining workflow run found",
      );
    }

    const dispatched = (await runs.get(run.id)) ?? run;
    await notifyRetraining(services, dispatched, {
      step: "started",
      ...retrainingStarted(dispatched),
    });
  },

  async giveUp(data, error, services) {
    const runs = new RetrainingRunStore(services.redis);
    const run = await runs.get(data.runId);
    if (run?.status !== "queued") return;

    services.log.error(
      { err: error, retrainingRunId: run.id, model: run.modelKey },
      "training workflow could not be dispatched",
    );
    const notice = retrainingOutcome(run, {
      kind: "dispatch_failed",
      detail: error.message,
    });
    await completeRun(services, run, "dispatch_failed", {
      step: "outcome",
      ...notice,
      reply: notice.channelMessage,
    });
  },
};
