import { describe, expect, it } from "vitest";
import { readJsonFixture } from "../../scripts/fixtures.js";
import { parseAlertmanagerWebhook } from "../../src/alerts/alertmanager-webhook.js";
import { parseGrafanaWebhook } from "../../src/alerts/grafana-webhook.js";
import { labelFingerprint } from "../../src/alerts/received-alert.js";
import type { ParsedWebhook } from "../../src/alerts/webhook-alert-schema.js";

/** Returns the notification of a body the test expects to be valid. */
function notification(parsed: ParsedWebhook) {
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.notification;
}

/** Returns the message of a body the test expects to be invalid. */
function problem(parsed: ParsedWebhook): string {
  if (parsed.ok) throw new Error("body was accepted");
  return parsed.error;
}

describe("parseAlertmanagerWebhook", () => {
  it("reads both alerts of the fixture", () => {
    const parsed = parseAlertmanagerWebhook(
      readJsonFixture("alerts/alertmanager.v4.firing.json"),
    );

    expect(parsed.ok).toBe(true);
    const alerts = notification(parsed).alerts;
    expect(alerts.map((alert) => alert.fingerprint)).toEqual([
      "3c1f0a9b7d2e4f61",
      "9e8d7c6b5a403f21",
    ]);
    expect(alerts[0]?.endsAt).toBeUndefined();
    expect(alerts[0]?.links).toEqual({
      source:
        "http://prometheus.example.com:9090/graph?g0.expr=model_drift_share%7Bmodel%3D%22churn%22%7D+%3E%3D+0.5&g0.tab=1",
      runbook: "https://runbooks.example.com/ml/feature-drift",
      sender: "http://alertmanager.example.com:9093",
    });
  });

  it("keeps endsAt of a resolved alert", () => {
    const parsed = parseAlertmanagerWebhook(
      readJsonFixture("alerts/alertmanager.v4.resolved.json"),
    );

    expect(notification(parsed).alerts[1]?.endsAt).toBe(
      "2024-05-14T10:02:00.000Z",
    );
  });

  it("reports truncated alerts", () => {
    const body = {
      ...readJsonFixture("alerts/alertmanager.v4.firing.json"),
      truncatedAlerts: 3,
    };

    const parsed = parseAlertmanagerWebhook(body);

    expect(notification(parsed).truncatedAlerts).toBe(3);
  });

  it("fingerprints labels when the sender gives none", () => {
    const body = readJsonFixture<Record<string, any>>(
      "alerts/alertmanager.v4.firing.json",
    );
    delete body.alerts[0].fingerprint;

    const parsed = parseAlertmanagerWebhook(body);

    const alert = notification(parsed).alerts[0];
    expect(alert?.fingerprint).toBe(labelFingerprint(alert?.labels ?? {}));
    expect(alert?.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it("drops links that are not http(s)", () => {
    const body = readJsonFixture<Record<string, any>>(
      "alerts/alertmanager.v4.firing.json",
    );
    body.alerts[0].annotations.runbook_url = "javascript:alert(1)";

    const parsed = parseAlertmanagerWebhook(body);

    expect(notification(parsed).alerts[0]?.links.runbook).toBeUndefined();
  });

  it.each([
    [null, "(root): Invalid input"],
    [[], "(root): Invalid input"],
    [{ version: "4" }, "status"],
  ])("rejects %j", (body, message) => {
    const parsed = parseAlertmanagerWebhook(body);

    expect(parsed.ok).toBe(false);
    expect(problem(parsed)).toContain(message);
  });
});

describe("parseGrafanaWebhook", () => {
  it("reads the Grafana fixture", () => {
    const parsed = parseGrafanaWebhook(
      readJsonFixture("alerts/grafana.unified.firing.json"),
    );

    expect(parsed.ok).toBe(true);
    const alerts = notification(parsed).alerts;
    expect(alerts.map((alert) => alert.source)).toEqual(["grafana", "grafana"]);
    expect(alerts[1]?.links.dashboard).toBe(
      "https://grafana.example.com/d/mlmon0001?orgId=1",
    );
  });

  it("rejects a legacy dashboard alert", () => {
    const parsed = parseGrafanaWebhook({
      title: "[Alerting] Drift",
      ruleName: "Drift",
      state: "alerting",
      evalMatches: [],
      status: "firing",
    });

    expect(problem(parsed)).toContain(
      "alerts: must be an array; Gantry reads Grafana Alerting's webhook",
    );
  });
});
