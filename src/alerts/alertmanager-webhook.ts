import { z } from "zod";
import { toReceivedAlert } from "./received-alert.js";
import {
  describeIssues,
  webhookAlertSchema,
  type ParsedWebhook,
} from "./webhook-alert-schema.js";

/** Alertmanager's webhook body, format version 4 (Alertmanager 0.x's only format). */
const alertmanagerWebhookSchema = z.object({
  version: z.literal("4", {
    error: 'must be "4"; Gantry reads Alertmanager\'s webhook format version 4',
  }),
  status: z.enum(["firing", "resolved"]),
  receiver: z.string().default(""),
  groupKey: z.string().default(""),
  externalURL: z.string().optional(),
  truncatedAlerts: z.number().int().min(0).default(0),
  alerts: z.array(webhookAlertSchema),
});

/** Validates an Alertmanager webhook body and returns its alerts, or a message naming what is wrong. */
export function parseAlertmanagerWebhook(body: unknown): ParsedWebhook {
  const parsed = alertmanagerWebhookSchema.safeParse(body);
  if (!parsed.success)
    return { ok: false, error: describeIssues(parsed.error, "Alertmanager") };

  const webhook = parsed.data;
  return {
    ok: true,
    notification: {
      receiver: webhook.receiver,
      groupKey: webhook.groupKey,
      truncatedAlerts: webhook.truncatedAlerts,
      alerts: webhook.alerts.map((alert) =>
        toReceivedAlert({
          source: "alertmanager",
          alert,
          externalURL: webhook.externalURL,
        }),
      ),
    },
  };
}
