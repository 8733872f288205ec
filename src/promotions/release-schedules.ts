import { reconcile } from "../../jobs/reconcile.js";
import type { ScheduledTask } from "../schedules.js";
import type { Services } from "../services.js";
import { proposeSoakedVersions } from "./soak-proposal.js";

/** Work counts as stuck on a scheduled reconcile when its promotion has not moved for a minute. */
const STALE_AFTER_MS = 60_000;

/**
 * Returns the release pipeline's node-cron tasks, which reconcile work in
 * flight and propose the next environment for versions that soaked. Each
 * tick's job ids are the same on every replica, so a tick has its effect once.
 */
export function releaseTasks(services: Services): ScheduledTask[] {
  return [
    {
      name: "reconcile",
      expression: "* * * * *",
      task: () =>
        reconcile(services, {
          runId: `tick-${Math.floor(Date.now() / 60_000)}`,
          staleAfterMs: STALE_AFTER_MS,
        }),
    },
    {
      name: "soak-proposals",
      expression: "* * * * *",
      task: () => proposeSoakedVersions(services),
    },
  ];
}

/**
 * Resumes, once at a worker's start, the work a crash of this process may
 * have left in flight, without waiting for the first tick or for BullMQ to
 * find its stalled jobs.
 */
export async function resumeAtStart(services: Services): Promise<void> {
  await reconcile(services, {
    runId: `start-${Date.now()}`,
    staleAfterMs: 0,
  });
}
