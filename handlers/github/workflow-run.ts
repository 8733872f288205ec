import type { Probot } from "probot";
import { retrainingOutcomeJob } from "../../jobs/retraining-outcome.js";
import { trainableModels } from "../../src/retraining/retrainable-models.js";
import { isTrainingWorkflow } from "../../src/retraining/training-workflow.js";
import type { Services } from "../../src/services.js";

/**
 * Queues each completed run of a model's training workflow for its
 * retraining outcome. Runs of other workflows are ignored. The job id is
 * the workflow run and its attempt, so a redelivery adds nothing.
 */
export function registerWorkflowRun(probot: Probot, services: Services): void {
  probot.on("workflow_run.completed", async (context) => {
    const { workflow_run: run, repository } = context.payload;
    const repo = repository.full_name;
    const workflow = { path: run.path, id: run.workflow_id };

    const models = await trainableModels(services.registry, repo);
    const trains = models.some((entry) =>
      isTrainingWorkflow(entry.model.training_workflow ?? "", workflow),
    );
    if (!trains) return;

    await services.queues.add(
      retrainingOutcomeJob,
      {
        repo,
        workflowRunId: run.id,
        workflowId: run.workflow_id,
        workflowPath: run.path,
        event: run.event,
        conclusion: run.conclusion ?? "unknown",
        createdAt: run.created_at,
        runStartedAt: run.run_started_at ?? undefined,
        htmlUrl: run.html_url,
      },
      `workflow-run:${repo}:${run.id}:${run.run_attempt ?? 1}`,
    );
    context.log.info(
      {
        deliveryId: context.id,
        repo,
        workflowRunId: run.id,
        conclusion: run.conclusion,
      },
      "training workflow run completed",
    );
  });
}
