import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../src/dev-redis.js";
import { readFixture, readJsonFixture, repositoryRoot } from "./fixtures.js";
import { githubSignature, slackHeaders } from "./signing.js";
import type { StandInWorkflowRun } from "./stand-ins/github-actions.js";
import { GitHubStandIn } from "./stand-ins/github-stand-in.js";
import { MlflowStandIn } from "./stand-ins/mlflow-stand-in.js";
import { PrometheusStandIn } from "./stand-ins/prometheus-stand-in.js";
import { JiraStandIn } from "./stand-ins/jira-stand-in.js";
import { SlackStandIn } from "./stand-ins/slack-stand-in.js";
import type { RecordedRequest } from "./stand-ins/stand-in-server.js";

export const SIGNING_SECRET = "standin-slack-signing-secret-0001";
export const WEBHOOK_SECRET = "standin-github-webhook-secret-0001";
export const ALERTS_TOKEN = "standin-alerts-token-0001";
export const INSTALLATION_ID = 4242;

/** The repository of GitHub's published webhook examples, so fixtures apply unchanged. */
export const REPOSITORY = {
  owner: "example-user",
  name: "Hello-World",
  defaultBranch: "master",
};

/**
 * The repository's configuration. Staging keeps its stage order (after dev)
 * but has no soak time, so the demo and the end-to-end tests can promote a
 * version to staging as soon as it succeeded in dev.
 */
export const GANTRY_YML = `slack:
  channel: C0RELEASES
  alerts_channel: C0ALERTS
models:
  churn:
    registry: churn-model
    paths: [models/churn/**]
    training_workflow: train.yml
    gates: { accuracy: ">= 0.90", latency_p99_ms: "<= 2000" }
environments:
  dev: { auto_deploy: true, approvals: 0 }
  staging: { after: dev, approvals: 1, approvers: [U0000002, S0MLLEADS] }
  production:
    after: staging
    approvals: 2
    approvers: [S0MLLEADS, U0RELMGR]
    canary: [5, 25, 50, 100]
    bake: 10m
jira: { project: MLOPS, drift_type: Task, critical_type: Bug }
`;

/** How long Gantry gets to exit after SIGTERM before the harness kills it. */
const STOP_TIMEOUT_MS = 10_000;

/** One JSON line that Gantry logged with pino. */
export type LogRecord = {
  level: number;
  msg: string;
  [field: string]: unknown;
};

/** A promotion opened with /promote, found by its approval card. */
export type OpenedPromotion = {
  promotionId: string;
  /** The card's message ts, which its thread replies and updates use. */
  ts: string;
  channel: string;
  card: RecordedRequest;
};

export type HarnessOptions = {
  /** Redis for Gantry; without it Gantry runs in developer mode with its own redis-server. */
  redisUrl?: string;
  env?: Record<string, string>;
  /** Receives each line Gantry writes, for the demo's output or a test's debugging. */
  onLog?: (line: string) => void;
  /** The repository's .github/gantry.yml, in place of GANTRY_YML. */
  gantryYml?: string;
};

/**
 * Runs the built Gantry as a child process against stand-in GitHub, Slack,
 * MLflow, Jira and Prometheus servers on loopback, and sends it signed
 * requests built from the payload fixtures.
 */
export class Harness {
  readonly github = new GitHubStandIn(INSTALLATION_ID, [
    {
      ...REPOSITORY,
      headSha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
      files: { ".github/gantry.yml": GANTRY_YML },
    },
  ]);
  readonly slack = new SlackStandIn();
  readonly jira = new JiraStandIn();
  readonly prometheus = new PrometheusStandIn();
  readonly mlflow = new MlflowStandIn([
    {
      name: "churn-model",
      version: "41",
      runId: "run41",
      metrics: { accuracy: 0.91, latency_p99_ms: 1800 },
    },
    {
      name: "churn-model",
      version: "42",
      runId: "run42",
      metrics: { accuracy: 0.934, latency_p99_ms: 1510 },
    },
  ]);
  readonly logs: string[] = [];
  gantryUrl = "";
  private child: ChildProcess | undefined;
  private readonly folder = mkdtempSync(join(tmpdir(), "gantry-harness-"));
  private readonly logWaiters = new Set<() => void>();

  constructor(private readonly options: HarnessOptions = {}) {
    const repository = this.github.repositories[0];
    if (options.gantryYml && repository)
      repository.files[".github/gantry.yml"] = options.gantryYml;
    this.mlflow.aliases.set("churn-model/staging", "41");
    this.slack.groups.set("S0MLLEADS", ["U0MLLEAD1", "U0MLLEAD2"]);
  }

  /** Starts the stand-ins and Gantry, and waits until Gantry has loaded the repository's configuration. */
  async start(): Promise<void> {
    await this.startStandIns();
    await this.startGantry();
    await this.waitForLog(
      (line) => line.includes("gantry configuration loaded"),
      20_000,
    );
  }

  async startStandIns(): Promise<void> {
    await Promise.all([
      this.github.start(),
      this.slack.start(),
      this.mlflow.start(),
      this.jira.start(),
      this.prometheus.start(),
    ]);
  }

  /** Starts Gantry and waits until it logs that it started; the stand-ins must be running. */
  async startGantry(): Promise<void> {
    const port = await freePort();
    this.gantryUrl = `http://127.0.0.1:${port}`;
    const keyPath = join(this.folder, "app.pem");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(keyPath, privateKey.export({ type: "pkcs1", format: "pem" }));

    const args = [join(repositoryRoot(), "dist", "src", "cli.js"), "start"];
    if (!this.options.redisUrl) args.push("--dev");
    // A restart must wait for its own start line, not the last process's.
    const since = this.logs.length;
    this.child = spawn(process.execPath, args, {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        APP_ID: "1",
        PRIVATE_KEY_PATH: keyPath,
        WEBHOOK_SECRET,
        GHE_HOST: this.github.url.replace("http://", ""),
        GHE_PROTOCOL: "http",
        SLACK_BOT_TOKEN: "xoxb-standin-bot-token",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: `${this.slack.url}/api/`,
        MLFLOW_TRACKING_URI: this.mlflow.url,
        PROMETHEUS_URL: this.prometheus.url,
        JIRA_BASE_URL: this.jira.url,
        JIRA_EMAIL: this.jira.email,
        JIRA_API_TOKEN: this.jira.apiToken,
        ALERTS_TOKEN,
        PORT: String(port),
        LOG_LEVEL: "info",
        GANTRY_JOB_ATTEMPTS: "3",
        GANTRY_JOB_BACKOFF_MS: "200",
        ...(this.options.redisUrl ? { REDIS_URL: this.options.redisUrl } : {}),
        ...this.options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    // A chunk may end inside a line, so each stream keeps its unfinished tail.
    const collector = () => {
      let tail = "";
      return (chunk: Buffer) => {
        const lines = (tail + chunk.toString()).split("\n");
        tail = lines.pop() ?? "";
        for (const line of lines.filter(Boolean)) {
          this.logs.push(line);
          this.options.onLog?.(line);
        }
        for (const waiter of this.logWaiters) waiter();
      };
    };
    this.child.stdout?.on("data", collector());
    this.child.stderr?.on("data", collector());

    await this.waitForLog(
      (line) =>
        line.includes("gantry started") && this.logs.indexOf(line) >= since,
      20_000,
    );
  }

  /**
   * Kills Gantry with a signal; SIGKILL plays a crash. A Gantry that has not
   * exited 10 s after SIGTERM is killed with SIGKILL.
   */
  async stopGantry(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      child.once("exit", () => resolve()),
    );
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  async stop(): Promise<void> {
    await this.stopGantry();
    await Promise.all([
      this.github.stop(),
      this.slack.stop(),
      this.mlflow.stop(),
      this.jira.stop(),
      this.prometheus.stop(),
    ]);
    rmSync(this.folder, { recursive: true, force: true });
  }

  async waitForLog(
    predicate: (line: string) => boolean,
    timeoutMs = 15_000,
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.logs.find(predicate);
      if (found) return found;
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(
          `Gantry exited with ${this.child.exitCode}:\n${this.logs.slice(-20).join("\n")}`,
        );
      }
      if (Date.now() > deadline)
        throw new Error(
          `Gantry did not log the expected line within ${timeoutMs} ms:\n${this.logs.slice(-20).join("\n")}`,
        );
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          this.logWaiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, 200);
        this.logWaiters.add(done);
      });
    }
  }

  /** Gantry's log lines parsed as pino records; lines that are not JSON are left out. */
  logRecords(): LogRecord[] {
    return this.logs.flatMap((line) => parseLogRecord(line) ?? []);
  }

  /** Returns the log records whose message is `msg` and whose fields include `fields`. */
  findLogs(msg: string, fields: Record<string, unknown> = {}): LogRecord[] {
    return this.logRecords().filter((record) => matches(record, msg, fields));
  }

  /** Waits for a log record with message `msg` and the given fields, and returns it. */
  async waitForLogRecord(
    msg: string,
    fields: Record<string, unknown> = {},
    timeoutMs = 15_000,
  ): Promise<LogRecord> {
    let found: LogRecord | undefined;
    await this.waitForLog((line) => {
      if (!line.includes(msg)) return false;
      const record = parseLogRecord(line);
      if (!record || !matches(record, msg, fields)) return false;
      found = record;
      return true;
    }, timeoutMs);
    if (!found) throw new Error(`no log record "${msg}" found`);
    return found;
  }

  /**
   * Sends the slash command fixture with new text, user and a response_url on
   * the Slack stand-in. `headers` are added to the signed request, for example
   * X-Slack-Retry-Num.
   */
  async slashCommand(params: {
    command?: string;
    text: string;
    user?: string;
    triggerId?: string;
    fixture?: string;
    headers?: Record<string, string>;
  }): Promise<Response> {
    const form = new URLSearchParams(
      readFixture(params.fixture ?? "slack/slash_command.promote.txt"),
    );
    const triggerId =
      params.triggerId ??
      `${Date.now()}.0000000001.${Math.random().toString(16).slice(2)}`;
    form.set("command", params.command ?? "/promote");
    form.set("text", params.text);
    form.set("user_id", params.user ?? "U0000001");
    form.set("trigger_id", triggerId);
    form.set("response_url", this.slack.responseUrl(commandReplyId(triggerId)));
    const body = form.toString();
    return this.postSlack(body, "application/x-www-form-urlencoded", {
      ...slackHeaders(body, SIGNING_SECRET),
      ...params.headers,
    });
  }

  /** Returns the response_url path that `slashCommand` gave a command, to find its ephemeral replies. */
  commandReplyPath(triggerId: string): string {
    return `/response/${commandReplyId(triggerId)}`;
  }

  /**
   * Sends /promote and waits for the approval card that it opens. Throws when
   * Gantry does not acknowledge the command or posts no card in 20 s.
   */
  async openPromotion(
    params: { text?: string; user?: string } = {},
  ): Promise<OpenedPromotion> {
    const since = this.slack.requests.length;
    const text = params.text ?? "churn 42 staging";
    const ack = await this.slashCommand({ text, user: params.user });
    if (ack.status !== 200)
      throw new Error(
        `Gantry responded to /promote ${text} with HTTP ${ack.status}; expected 200`,
      );

    const card = await this.slack.waitFor(
      (request) =>
        this.slack.requests.indexOf(request) >= since &&
        SlackStandIn.isPostedCard(request),
      20_000,
      `the approval card for /promote ${text}`,
    );
    // The context line starts with the id; cards without buttons have it too.
    const promotionId =
      /\bprm_[0-9a-z]+/.exec(SlackStandIn.blocksText(card))?.[0] ?? "";
    return {
      promotionId,
      ts: SlackStandIn.replyTs(card) ?? "",
      channel: (card.body as { channel: string }).channel,
      card,
    };
  }

  /**
   * Promotes a version to dev, which needs no approval, and reports the
   * deployment's success, so that staging's stage order admits the version.
   * Returns the dev promotion.
   */
  async promoteToDev(version = "42"): Promise<OpenedPromotion> {
    const opened = await this.openPromotion({ text: `churn ${version} dev` });
    await this.waitForLogRecord(
      "deployment created",
      { promotionId: opened.promotionId },
      20_000,
    );
    const deployment = this.github.deployments.find(
      (candidate) => candidate.payload.promotion_id === opened.promotionId,
    );
    if (!deployment)
      throw new Error(
        `the GitHub stand-in has no dev deployment for promotion ${opened.promotionId}`,
      );

    await this.webhook(
      "deployment_status",
      this.deploymentStatusPayload({
        deploymentId: deployment.id,
        state: "success",
      }),
      `dev-${opened.promotionId}`,
    );
    await this.waitForLogRecord(
      "promotion succeeded",
      { promotionId: opened.promotionId },
      20_000,
    );
    return opened;
  }

  /**
   * Sends the block_actions fixture for a button on a card, pressed by
   * `user`. The button's value is the promotion id unless `value` is given.
   */
  async pressButton(params: {
    action: string;
    promotionId: string;
    user: string;
    messageTs: string;
    value?: string;
  }): Promise<Response> {
    const payload = readJsonFixture<Record<string, any>>(
      params.action === "promotion_approve"
        ? "slack/block_actions.approve.json"
        : "slack/block_actions.reject.json",
    );
    payload.user = {
      ...payload.user,
      id: params.user,
      username: params.user.toLowerCase(),
      name: params.user.toLowerCase(),
    };
    payload.container.message_ts = params.messageTs;
    payload.message.ts = params.messageTs;
    payload.actions[0].action_id = params.action;
    payload.actions[0].value = params.value ?? params.promotionId;
    payload.trigger_id = `${Date.now()}.0000000001.${Math.random().toString(16).slice(2)}`;
    payload.response_url = this.slack.responseUrl(
      `action-${params.user}-${Date.now()}`,
    );
    const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
    return this.postSlack(body, "application/x-www-form-urlencoded");
  }

  async postSlack(
    body: string,
    contentType: string,
    headers: Record<string, string> = slackHeaders(body, SIGNING_SECRET),
  ): Promise<Response> {
    return fetch(`${this.gantryUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": contentType, ...headers },
      body,
    });
  }

  /** Posts an alert webhook body to `/alerts/alertmanager` or `/alerts/grafana` with a bearer token. */
  async postAlerts(
    sender: "alertmanager" | "grafana",
    body: unknown,
    token: string = ALERTS_TOKEN,
  ): Promise<Response> {
    return fetch(`${this.gantryUrl}/alerts/${sender}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify(body),
    });
  }

  /** Sends a signed GitHub webhook with the compact JSON GitHub sends. */
  async webhook(
    event: string,
    payload: unknown,
    deliveryId: string,
    secret = WEBHOOK_SECRET,
  ): Promise<Response> {
    const body = JSON.stringify(payload);
    return this.postWebhook(body, {
      "x-github-event": event,
      "x-github-delivery": deliveryId,
      "x-hub-signature-256": githubSignature(body, secret),
    });
  }

  /** Sends a webhook body as it is, with only the headers given and a JSON content type. */
  async postWebhook(
    body: string,
    headers: Record<string, string>,
  ): Promise<Response> {
    return fetch(`${this.gantryUrl}/api/github/webhooks`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
  }

  /** Builds a deployment_status webhook from the fixture for one of the stand-in's deployments. */
  deploymentStatusPayload(params: {
    deploymentId: number;
    state: "success" | "failure" | "in_progress";
  }): Record<string, any> {
    const fixture = {
      success: "github/deployment_status.created.success.json",
      failure: "github/deployment_status.created.failure.json",
      in_progress: "github/deployment_status.created.in_progress.json",
    }[params.state];
    const payload = readJsonFixture<Record<string, any>>(fixture);
    const deployment = this.github.deployments.find(
      (candidate) => candidate.id === params.deploymentId,
    );
    payload.deployment = {
      ...payload.deployment,
      id: params.deploymentId,
      sha: deployment?.sha ?? payload.deployment.sha,
      environment: deployment?.environment ?? payload.deployment.environment,
      payload: deployment?.payload ?? {},
    };
    payload.deployment_status = {
      ...payload.deployment_status,
      state: params.state,
      environment: deployment?.environment,
    };
    payload.installation = {
      id: INSTALLATION_ID,
      node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==",
    };
    return payload;
  }

  /**
   * Builds a workflow_run completed webhook from the fixture for a workflow
   * run that a dispatch started on the GitHub stand-in.
   */
  workflowRunPayload(params: {
    run: StandInWorkflowRun;
    conclusion: "success" | "failure";
  }): Record<string, any> {
    const { run } = params;
    const payload = readJsonFixture<Record<string, any>>(
      `github/workflow_run.completed.${params.conclusion}.json`,
    );
    const [owner = "", name = ""] = run.repository.split("/");
    payload.repository = {
      ...payload.repository,
      name,
      full_name: run.repository,
      owner: { ...payload.repository.owner, login: owner },
      default_branch: REPOSITORY.defaultBranch,
    };
    payload.workflow = { ...payload.workflow, path: run.path };
    payload.workflow_run = {
      ...payload.workflow_run,
      id: run.id,
      path: run.path,
      event: run.event,
      head_branch: run.headBranch,
      conclusion: params.conclusion,
      created_at: run.createdAt,
      run_started_at: run.createdAt,
      html_url: run.htmlUrl,
    };
    payload.installation = {
      id: INSTALLATION_ID,
      node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==",
    };
    return payload;
  }
}

function commandReplyId(triggerId: string): string {
  return `command-${triggerId.replace(/\W/g, "")}`;
}

function parseLogRecord(line: string): LogRecord | undefined {
  try {
    const record = JSON.parse(line) as Partial<LogRecord> | null;
    return typeof record?.msg === "string" ? (record as LogRecord) : undefined;
  } catch {
    return undefined;
  }
}

function matches(
  record: LogRecord,
  msg: string,
  fields: Record<string, unknown>,
): boolean {
  return (
    record.msg === msg &&
    Object.entries(fields).every(([key, value]) => record[key] === value)
  );
}
