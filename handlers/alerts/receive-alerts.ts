import type { Request, Response } from "express";
import { alertEventJob } from "../../jobs/alert-event.js";
import { alertJobId } from "../../src/alerts/received-alert.js";
import type { ParsedWebhook } from "../../src/alerts/webhook-alert-schema.js";
import type { Services } from "../../src/services.js";

/**
 * Builds the handler of one alert webhook. It validates the body, queues
 * one job per alert and responds 202 without waiting for Jira or Slack.
 */
export function receiveAlerts(
  services: Services,
  sender: "alertmanager" | "grafana",
  parse: (body: unknown) => ParsedWebhook,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const parsed = parse(req.body);
    if (!parsed.ok) {
      res.status(400).json({ error: parsed.error });
      return;
    }

    const { alerts, truncatedAlerts, receiver, groupKey } = parsed.notification;
    const log = services.log.child({ sender, receiver, groupKey });
    const receivedAt = new Date().toISOString();
    try {
      await Promise.all(
        alerts.map((alert) =>
          services.queues.add(
            alertEventJob,
            { alert, receivedAt },
            alertJobId(alert),
          ),
        ),
      );
    } catch (error) {
      // Alertmanager and Grafana retry after a 5xx, and job ids keep a retry from acting twice.
      log.error({ err: error }, "alerts could not be queued");
      res.status(503).json({
        error:
          "alerts could not be queued because Redis is unavailable; send them again",
      });
      return;
    }

    if (truncatedAlerts > 0) {
      log.warn(
        { truncatedAlerts, queued: alerts.length },
        "alert group truncated by the sender; raise max_alerts to receive every alert",
      );
    }
    log.info({ alerts: alerts.length }, "alerts received");
    res.status(202).json({ queued: alerts.length, truncatedAlerts });
  };
}
