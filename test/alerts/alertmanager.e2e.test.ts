import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALERTS_TOKEN, Harness } from "../../scripts/harness.js";
import { readJsonFixture } from "../../scripts/fixtures.js";
import { freePort } from "../../src/dev-redis.js";
import { useRedis } from "../helpers/redis.js";

const ALERTMANAGER_BINARY = "/usr/bin/prometheus-alertmanager";

/**
 * A real Alertmanager on a loopback port with clustering off, whose only
 * receiver is Gantry's webhook on loopback.
 */
class LocalAlertmanager {
  url = "";
  readonly output: string[] = [];
  private child: ChildProcess | undefined;
  private readonly folder = mkdtempSync(join(tmpdir(), "gantry-alertmanager-"));

  async start(webhookUrl: string): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const configPath = join(this.folder, "alertmanager.yml");
    writeFileSync(configPath, alertmanagerConfig(webhookUrl));

    this.child = spawn(
      ALERTMANAGER_BINARY,
      [
        `--config.file=${configPath}`,
        `--storage.path=${join(this.folder, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--web.external-url=${this.url}`,
        "--cluster.listen-address=",
        "--log.level=warn",
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const collect = (chunk: Buffer) => this.output.push(chunk.toString());
    this.child.stdout?.on("data", collect);
    this.child.stderr?.on("data", collect);
    await this.waitUntilReady();
  }

  /** Pushes alerts through Alertmanager's API v2, as Prometheus does. */
  async push(alerts: unknown[]): Promise<void> {
    const response = await fetch(`${this.url}/api/v2/alerts`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(alerts),
    });
    if (!response.ok)
      throw new Error(
        `Alertmanager answered ${response.status}: ${await response.text()}`,
      );
  }

  /** Returns Alertmanager's fingerprint of each alert, by alertname. */
  async fingerprints(): Promise<Record<string, string>> {
    const response = await fetch(`${this.url}/api/v2/alerts`);
    const alerts = (await response.json()) as {
      fingerprint: string;
      labels: Record<string, string>;
    }[];
    const entries = alerts.map((alert): [string, string] => [
      alert.labels.alertname ?? "",
      alert.fingerprint,
    ]);
    return Object.fromEntries(entries);
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(this.folder, { recursive: true, force: true });
  }

  /** Polls /-/ready until it returns 200, so no fixed sleep decides when the test goes on. */
  private async waitUntilReady(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined)
        throw new Error(
          `Alertmanager exited with ${this.child.exitCode}: ${this.output.join("")}`,
        );
      const ready = await fetch(`${this.url}/-/ready`).then(
        (response) => response.ok,
        () => false,
      );
      if (ready) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`Alertmanager not ready: ${this.output.join("")}`);
  }
}

function alertmanagerConfig(webhookUrl: string): string {
  return `route:
  receiver: gantry
  group_by: [model]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: gantry
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: true
        max_alerts: 0
        http_config:
          authorization:
            type: Bearer
            credentials: ${ALERTS_TOKEN}
`;
}

/** Builds the fixture's two alerts (drift and critical) as Prometheus would push them. */
function pushedAlerts(endsAt?: string) {
  const fixture = readJsonFixture<{
    alerts: {
      labels: Record<string, string>;
      annotations: Record<string, string>;
      generatorURL: string;
    }[];
  }>("alerts/alertmanager.v4.firing.json");
  return fixture.alerts.map((alert) => ({
    labels: alert.labels,
    annotations: alert.annotations,
    generatorURL: alert.generatorURL,
    ...(endsAt ? { endsAt } : {}),
  }));
}

const { url: redisUrl } = useRedis();

describe("Alertmanager to Gantry to Jira", () => {
  let harness: Harness;
  let alertmanager: LocalAlertmanager;

  beforeEach(async ({ onTestFailed }) => {
    harness = new Harness({ redisUrl });
    alertmanager = new LocalAlertmanager();
    onTestFailed(() => {
      console.error(
        `Gantry's last log lines:\n${harness.logs.slice(-40).join("\n")}\nAlertmanager:\n${alertmanager.output.join("")}`,
      );
    });
    await harness.start();
    await alertmanager.start(`${harness.gantryUrl}/alerts/alertmanager`);
  });
  afterEach(async () => {
    await alertmanager.stop();
    await harness.stop();
  });

  it("opens one ticket per alert and comments on resolution", async () => {
    const { jira, slack } = harness;

    await alertmanager.push(pushedAlerts());
    await jira.waitFor(
      () => jira.issues.length === 2,
      20_000,
      "two created issues",
    );
    const fingerprints = await alertmanager.fingerprints();

    const drift = jira.issuesWithLabel(
      `gantry-alert-${fingerprints.ModelFeatureDrift}`,
    );
    const critical = jira.issuesWithLabel(
      `gantry-alert-${fingerprints.ModelServingHighErrorRate}`,
    );
    expect(drift).toHaveLength(1);
    expect(drift[0]?.fields.issuetype).toEqual({ name: "Task" });
    expect(drift[0]?.fields.project).toEqual({ key: "MLOPS" });
    expect(critical).toHaveLength(1);
    expect(critical[0]?.fields.issuetype).toEqual({ name: "Bug" });
    expect(critical[0]?.fields.priority).toEqual({ name: "Highest" });

    const post = await slack.waitFor(
      (request) =>
        request.route === "chat.postMessage" &&
        (request.body as { channel?: string }).channel === "C0ALERTS",
      15_000,
      "the critical alert post",
    );
    expect(JSON.stringify(post.body)).toContain('"action_id":"alert_rollback"');

    await alertmanager.push(pushedAlerts(new Date().toISOString()));
    await jira.waitFor(
      () => jira.issues.every((issue) => issue.comments.length === 1),
      20_000,
      "a resolution comment on each issue",
    );
    await slack.waitFor(
      (request) => request.route === "chat.update",
      15_000,
      "the resolved update of the post",
    );

    expect(jira.issues).toHaveLength(2);
    expect(drift[0]?.comments[0]).toContain("Alert ModelFeatureDrift resolved");
    expect(harness.logs.join("\n")).not.toContain(ALERTS_TOKEN);
    expect(harness.logs.join("\n")).not.toContain(jira.apiToken);
  });
});
