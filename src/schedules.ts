import cron from "node-cron";
import type { Services } from "./services.js";

export type ScheduledTask = {
  name: string;
  expression: string;
  task: () => Promise<void>;
};
export type Schedules = { stop: () => void };

/**
 * Runs tasks on cron expressions. Each tick's work must be idempotent,
 * because every worker replica runs the same schedule.
 */
export function startSchedules(
  services: Services,
  tasks: readonly ScheduledTask[],
): Schedules {
  const running = tasks.map(({ name, expression, task }) =>
    cron.schedule(expression, async () => {
      try {
        await task();
      } catch (error) {
        services.log.error(
          { err: error, schedule: name },
          "scheduled task failed",
        );
      }
    }),
  );
  return {
    stop: () => {
      for (const scheduled of running) void scheduled.stop();
    },
  };
}
