import { z } from "zod";
import { formatPath } from "../config/repo-config.js";
import type { ReceivedAlert } from "./received-alert.js";

const labelSet = z.record(z.string(), z.string({ error: "must be a string" }));

/** Fingerprints become parts of Redis keys, job ids and Jira labels. */
const fingerprint = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/, {
  error: "must be 1 to 128 letters, digits, dashes or underscores",
});

const timestamp = z.iso.datetime({
  offset: true,
  error: "must be an RFC 3339 time, for example 2024-05-14T09:30:00Z",
});

/** One alert as both Alertmanager (webhook version 4) and Grafana send it. */
export const webhookAlertSchema = z.object({
  status: z.enum(["firing", "resolved"], {
    error: 'must be "firing" or "resolved"',
  }),
  labels: labelSet,
  annotations: labelSet.default({}),
  startsAt: timestamp,
  endsAt: timestamp.optional(),
  generatorURL: z.string().optional(),
  fingerprint: fingerprint.optional(),
});

/** Alerts and group details of one webhook request, whichever sender it came from. */
export type AlertNotification = {
  alerts: ReceivedAlert[];
  receiver: string;
  groupKey: string;
  /** Alerts the sender left out of this request because of its max_alerts limit. */
  truncatedAlerts: number;
};

export type ParsedWebhook =
  { ok: true; notification: AlertNotification } | { ok: false; error: string };

/** Turns zod's issues into one message that names each invalid field by its JSON path. */
export function describeIssues(error: z.ZodError, sender: string): string {
  const problems = error.issues
    .slice(0, 5)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  const more =
    error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : "";
  return `invalid ${sender} webhook body: ${problems.join("; ")}${more}`;
}
