import { requestRetraining } from "../../jobs/retraining-run.js";
import type { ModelEntry } from "../config/config-registry.js";
import { isGantryError, type GantryError } from "../errors.js";
import type { Services } from "../services.js";
import type { AlertContext } from "./alert-context.js";
import { readAlertState } from "./alert-state.js";
import { ticketForFiring } from "./alert-ticket.js";
import { recordCriticalAlert } from "./critical-alerts.js";
import { postCriticalAlert } from "./critical-post.js";
import { withFingerprintLock } from "./fingerprint-lock.js";

/** Long enough for the Jira and Slack calls one firing makes, each with a 10 s timeout. */
const LOCK_TTL_MS = 120_000;

/**
 * Handles a firing drift or critical alert on a configured model.
 *
 * Steps, under the fingerprint's lock:
 * 1. skip a firing that has already resolved,
 * 2. record a critical alert for the canary pipeline,
 * 3. open, comment on or reopen the ticket,
 * 4. post a critical alert to Slack.
 * Then, for drift, request retraining when `retrain.on_drift` is set.
 */
export async function handleFiringAlert(
  services: Services,
  context: AlertContext & { entry: ModelEntry },
): Promise<void> {
  const { entry, subject } = context;
  const critical = subject.alertClass === "critical";

  const outcome = await withFingerprintLock(
    services.redis,
    subject.alert.fingerprint,
    async () => {
      // A retried firing job can run after the same firing resolved.
      const state = await readAlertState(
        services.redis,
        subject.alert.fingerprint,
      );
      if (state.resolvedFiring === subject.alert.startsAt) {
        services.log.info("firing ignored: it has already resolved");
        return { resolved: true };
      }
      if (critical) {
        await recordCriticalAlert({
          redis: services.redis,
          modelKey: entry.key,
          alert: subject.alert,
          ticket: undefined,
        });
      }
      // A critical alert reaches Slack even when Jira rejects its ticket;
      // the rejection still fails the job afterwards, to be reported.
      let rejection: GantryError | undefined;
      const key = await ensureTicket(services, context).catch(
        (error: unknown) => {
          if (!critical || !isGantryError(error) || error.retryable)
            throw error;
          rejection = error;
          return undefined;
        },
      );
      if (critical) await postCriticalAlert(services, context, key);
      if (rejection) throw rejection;
      return { resolved: false, key };
    },
    { ttlMs: LOCK_TTL_MS },
  );

  if (outcome.resolved) return;
  if (subject.alertClass === "drift" && entry.retrain?.on_drift)
    await startDriftRetraining(services, context, outcome.key);
}

async function ensureTicket(
  services: Services,
  context: AlertContext & { entry: ModelEntry },
): Promise<string | undefined> {
  const { entry, subject } = context;
  if (!services.jira || !entry.jira) {
    services.log.warn(
      {
        model: entry.key,
        jiraConfigured: Boolean(services.jira),
        jiraSection: Boolean(entry.jira),
      },
      "no ticket opened: Jira needs JIRA_* settings and a jira section in .github/gantry.yml",
    );
    return undefined;
  }

  const outcome = await ticketForFiring({
    redis: services.redis,
    jira: services.jira,
    log: services.log,
    subject,
    jiraConfig: entry.jira,
    reopenWindow: entry.alerts?.reopen_window,
  });
  return outcome.key;
}

async function startDriftRetraining(
  services: Services,
  context: AlertContext & { entry: ModelEntry },
  ticket: string | undefined,
): Promise<void> {
  const { alert } = context.subject;
  const alertname = alert.labels.alertname ?? "drift alert";
  const result = await requestRetraining(
    services,
    {
      modelKey: context.entry.key,
      reason: `drift alert ${alertname} fired at ${alert.startsAt}`,
      ticket,
      requestedBy: "gantry",
      source: "drift",
    },
    `drift:${alert.fingerprint}:${alert.startsAt}`,
  );
  services.log.info(
    { jiraKey: ticket, queued: result.queued, why: result.why },
    "drift retraining requested",
  );
}
