import cron, { type ScheduledTask } from "node-cron";
import { requestRetraining } from "../../jobs/retraining-run.js";
import type { Services } from "../services.js";

type Scheduled = { expression: string; task: ScheduledTask };

/**
 * Requests a model's scheduled retraining for one cron tick. The dedupe key
 * is the model and the tick's time, so replicas that fire the same tick
 * queue one run.
 */
export async function requestScheduledRetraining(
  services: Services,
  params: { modelKey: string; expression: string; tickAt: Date },
): Promise<{ queued: boolean; why?: string }> {
  return requestRetraining(
    services,
    {
      modelKey: params.modelKey,
      reason: `scheduled by retrain.schedule "${params.expression}"`,
      ticket: undefined,
      requestedBy: "gantry",
      source: "schedule",
    },
    `schedule:${params.modelKey}:${params.tickAt.toISOString()}`,
  );
}

/**
 * Keeps one node-cron task per model whose repository sets
 * `retrain.schedule` and that has a training workflow. `sync` reads the
 * configuration from Redis and adds, replaces or stops tasks, so schedules
 * follow configuration reloads. Call it at start and then every minute.
 * Every worker replica runs the same tasks; the job id built from the
 * model and the tick keeps each tick to one run.
 */
export class RetrainingSchedules {
  private readonly tasks = new Map<string, Scheduled>();
  private readonly reportedInvalid = new Set<string>();

  constructor(private readonly services: Services) {}

  async sync(): Promise<void> {
    const configured = await this.configuredSchedules();

    for (const [modelKey, scheduled] of this.tasks) {
      if (configured.get(modelKey) === scheduled.expression) continue;
      await scheduled.task.stop();
      this.tasks.delete(modelKey);
      this.services.log.info(
        { model: modelKey },
        "retraining schedule removed",
      );
    }
    for (const [modelKey, expression] of configured) {
      if (this.tasks.has(modelKey)) continue;
      this.start(modelKey, expression);
    }
  }

  /** Returns each scheduled model with its cron expression. */
  active(): Map<string, string> {
    return new Map(
      [...this.tasks].map(([modelKey, { expression }]) => [
        modelKey,
        expression,
      ]),
    );
  }

  async stop(): Promise<void> {
    for (const { task } of this.tasks.values()) await task.stop();
    this.tasks.clear();
  }

  private async configuredSchedules(): Promise<Map<string, string>> {
    const configured = new Map<string, string>();
    for (const modelKey of await this.services.registry.modelKeys()) {
      const entry = await this.services.registry.entry(modelKey);
      const expression = entry?.retrain?.schedule;
      if (!entry?.model.training_workflow || !expression) continue;

      if (!cron.validate(expression)) {
        this.reportInvalid(modelKey, expression);
        continue;
      }
      configured.set(modelKey, expression);
    }
    return configured;
  }

  private start(modelKey: string, expression: string): void {
    const task = cron.schedule(expression, async (context) => {
      try {
        await requestScheduledRetraining(this.services, {
          modelKey,
          expression,
          tickAt: context.date,
        });
      } catch (error) {
        this.services.log.error(
          { err: error, model: modelKey },
          "scheduled retraining request failed",
        );
      }
    });
    this.tasks.set(modelKey, { expression, task });
    this.services.log.info(
      { model: modelKey, expression },
      "retraining schedule started",
    );
  }

  /** Logs an invalid expression once per model and expression, not on every sync. */
  private reportInvalid(modelKey: string, expression: string): void {
    const key = `${modelKey}\n${expression}`;
    if (this.reportedInvalid.has(key)) return;

    this.reportedInvalid.add(key);
    this.services.log.warn(
      { model: modelKey, expression },
      "invalid retrain.schedule cron expression; the model is not retrained on a schedule",
    );
  }
}
