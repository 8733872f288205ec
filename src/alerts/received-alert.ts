import { createHash } from "node:crypto";

export type AlertSource = "alertmanager" | "grafana";

/** One alert from an Alertmanager or Grafana webhook, in the shape jobs work with. */
export type ReceivedAlert = {
  source: AlertSource;
  status: "firing" | "resolved";
  /** The sender's fingerprint of the alert's label set. */
  fingerprint: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  /** When the alert ended; undefined while it fires. */
  endsAt: string | undefined;
  links: AlertLinks;
};

/** http(s) links about the alert, each present only when the sender gave it. */
export type AlertLinks = {
  /** The rule's expression in Prometheus or Grafana (generatorURL). */
  source?: string;
  dashboard?: string;
  panel?: string;
  runbook?: string;
  silence?: string;
  /** The Alertmanager or Grafana that sent the webhook (externalURL). */
  sender?: string;
};

/** The fields that the Alertmanager and Grafana webhooks share for one alert. */
export type WebhookAlert = {
  status: "firing" | "resolved";
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt?: string | undefined;
  generatorURL?: string | undefined;
  fingerprint?: string | undefined;
};

/** Alertmanager and Grafana write Go's zero time as endsAt of a firing alert. */
const ZERO_TIME = /^0001-01-01T/;

/** Builds the job's view of one webhook alert; `extraLinks` adds sender-specific links. */
export function toReceivedAlert(params: {
  source: AlertSource;
  alert: WebhookAlert;
  externalURL: string | undefined;
  extraLinks?: AlertLinks;
}): ReceivedAlert {
  const { alert } = params;
  const endsAt =
    alert.endsAt && !ZERO_TIME.test(alert.endsAt) ? alert.endsAt : undefined;
  const extra = params.extraLinks ?? {};

  return {
    source: params.source,
    status: alert.status,
    fingerprint: alert.fingerprint ?? labelFingerprint(alert.labels),
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: alert.startsAt,
    endsAt: alert.status === "resolved" ? endsAt : undefined,
    links: httpLinks({
      source: alert.generatorURL,
      dashboard:
        extra.dashboard ??
        alert.annotations.dashboard_url ??
        alert.annotations.dashboard,
      panel: extra.panel,
      runbook: alert.annotations.runbook_url ?? alert.annotations.runbook,
      silence: extra.silence,
      sender: params.externalURL,
    }),
  };
}

/**
 * Computes a stable fingerprint from the sorted label set, for a sender that
 * leaves the field out. It differs from Alertmanager's own (FNV-64a), so one
 * alert keeps one ticket only while its sender keeps omitting the field.
 */
export function labelFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((name) => `${name}=${JSON.stringify(labels[name])}`)
    .join(",");
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

function httpLinks(links: Record<string, string | undefined>): AlertLinks {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(links)) {
    if (value && /^https?:\/\//i.test(value)) kept[name] = value;
  }
  return kept;
}

/** Returns the BullMQ job id of one alert's status change, so a redelivered webhook queues it once. */
export function alertJobId(alert: ReceivedAlert): string {
  return `alert:${alert.fingerprint}:${alert.status}:${alert.startsAt}`;
}
