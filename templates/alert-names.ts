import type { AlertClass } from "../src/config/alerts-schema.js";
import type {
  AlertLinks,
  ReceivedAlert,
} from "../src/alerts/received-alert.js";

/** Alert, class and model that the alert templates render. */
export type AlertSubject = {
  alert: ReceivedAlert;
  alertClass: AlertClass;
  /** The model's name as the alert's `model` label gives it. */
  model: string;
  /** The model's full key (`owner/repo:name`), when it is configured. */
  modelKey: string | undefined;
};

const CLASS_TITLES: Record<AlertClass, string> = {
  drift: "Drift",
  critical: "Critical",
  other: "Alert",
};

const SENDERS = { alertmanager: "Alertmanager", grafana: "Grafana" };

const LINK_TITLES: Record<keyof AlertLinks, string> = {
  source: "Source",
  dashboard: "Dashboard",
  panel: "Panel",
  runbook: "Runbook",
  silence: "Silence",
  sender: "Sender",
};

export function alertName(alert: ReceivedAlert): string {
  return alert.labels.alertname ?? "unnamed alert";
}

export function classTitle(alertClass: AlertClass): string {
  return CLASS_TITLES[alertClass];
}

export function senderName(alert: ReceivedAlert): string {
  return SENDERS[alert.source];
}

/** Lists the alert's links in a fixed order, each with its title. */
export function alertLinks(
  alert: ReceivedAlert,
): { title: string; url: string }[] {
  return (Object.keys(LINK_TITLES) as (keyof AlertLinks)[]).flatMap((name) => {
    const url = alert.links[name];
    const title = name === "sender" ? senderName(alert) : LINK_TITLES[name];
    return url ? [{ title, url }] : [];
  });
}
