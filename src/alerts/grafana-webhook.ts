import { z } from "zod";
import { toReceivedAlert } from "./received-alert.js";
import {
  describeIssues,
  webhookAlertSchema,
  type ParsedWebhook,
} from "./webhook-alert-schema.js";

/** Grafana's alerting webhook (Grafana Alerting, version 8 and later) and the links it adds per alert. */
const grafanaWebhookSchema = z.object({
  status: z.enum(["firing", "resolved"]),
  receiver: z.string().default(""),
  groupKey: z.string().default(""),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().int().min(0).default(0),
  alerts: z.array(
    webhookAlertSchema.extend({
      dashboardURL: z.string().optional(),
      panelURL: z.string().optional(),
      silenceURL: z.string().optional(),
    }),
    {
      error:
        "must be an array; Gantry reads Grafana Alerting's webhook, not legacy dashboard alerts",
    },
  ),
});

/** Validates a Grafana webhook body and returns its alerts, or a message naming what is wrong. */
export function parseGrafanaWebhook(body: unknown): ParsedWebhook {
  const parsed = grafanaWebhookSchema.safeParse(body);
  if (!parsed.success)
    return { ok: false, error: describeIssues(parsed.error, "Grafana") };

  const webhook = parsed.data;
  return {
    ok: true,
    notification: {
      receiver: webhook.receiver,
      groupKey: webhook.groupKey,
      truncatedAlerts: webhook.truncatedAlerts,
      alerts: webhook.alerts.map((alert) =>
        toReceivedAlert({
          source: "grafana",
          alert,
          externalURL: webhook.externalURL,
          extraLinks: {
            dashboard: alert.dashboardURL,
            panel: alert.panelURL,
            silence: alert.silenceURL,
          },
        }),
      ),
    },
  };
}
