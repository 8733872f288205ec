import { spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../src/dev-redis.js";
import { readFixture, readJsonFixture, repositoryRoot } from "./fixtures.js";
import { githubSignature, slackHeaders } from "./signing.js";
import { GitHubStandIn } from "./stand-ins/github-stand-in.js";
import { MlflowStandIn } from "./stand-ins/mlflow-stand-in.js";
import { SlackStandIn } from "./stand-ins/slack-stand-in.js";

export const SIGNING_SECRET = "standin-slack-signing-secret-0001";
export const WEBHOOK_SECRET = "standin-github-webhook-secret-0001";
export const INSTALLATION_ID = 4242;

/** The repository of GitHub's published webhook examples, so fixtures apply unchanged. */
export const REPOSITORY = {
  owner: "example-user",
  name: "Hello-World",
  defaultBranch: "master",
};

export const GANTRY_YML = `slack:
  channel: C0RELEASES
models:
  churn:
    registry: churn-model
    paths: [models/churn/**]
    training_workflow: train.yml
    gates: { accuracy: ">= 0.90", latency_p99_ms: "<= 2000" }
environments:
  dev: { auto_deploy: true, approvals: 0 }
  staging: { after: dev, soak: 24h, approvals: 1, approvers: [U0000002, S0MLLEADS] }
  production:
    after: staging
    approvals: 2
    approvers: [S0MLLEADS, U0RELMGR]
    canary: [5, 25, 50, 100]
    bake: 10m
`;

export type HarnessOptions = {
  /** Redis for Gantry; without it Gantry runs in developer mode with its own redis-server. */
  redisUrl?: string;
  env?: Record<string, string>;
  /** Receives each line Gantry writes, for the demo's output or a test's debugging. */
  onLog?: (line: string) => void;
};

/**
 * Runs the built Gantry as a child process against stand-in GitHub, Slack and
 * MLflow servers on loopback, and sends it signed requests built from the
 * payload fixtures.
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
  private logWaiters = new Set<() => void>();

  constructor(private readonly options: HarnessOptions = {}) {
    this.mlflow.aliases.set("churn-model/staging", "41");
    this.slack.groups.set("S0MLLEADS", ["U0MLLEAD1", "U0MLLEAD2"]);
  }

  /** Starts the stand-ins and Gantry, and waits until Gantry has loaded the repository's configuration. */
  async start(): Promise<void> {
    await Promise.all([
      this.github.start(),
      this.slack.start(),
      this.mlflow.start(),
    ]);
    await this.startGantry();
    await this.waitForLog(
      (line) => line.includes("gantry configuration loaded"),
      20_000,
    );
  }

  async startGantry(): Promise<void> {
    const port = await freePort();
    this.gantryUrl = `http://127.0.0.1:${port}`;
    const keyPath = join(this.folder, "app.pem");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    writeFileSync(keyPath, privateKey.export({ type: "pkcs1", format: "pem" }));

    const args = [join(repositoryRoot(), "dist", "src", "cli.js"), "start"];
    if (!this.options.redisUrl) args.push("--dev");
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
        PORT: String(port),
        LOG_LEVEL: "info",
        GANTRY_JOB_ATTEMPTS: "3",
        GANTRY_JOB_BACKOFF_MS: "200",
        ...(this.options.redisUrl ? { REDIS_URL: this.options.redisUrl } : {}),
        ...this.options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      for (const line of chunk.toString().split("\n").filter(Boolean)) {
        this.logs.push(line);
        this.options.onLog?.(line);
      }
      for (const waiter of this.logWaiters) waiter();
    };
    this.child.stdout?.on("data", collect);
    this.child.stderr?.on("data", collect);

    await this.waitForLog((line) => line.includes("gantry started"), 20_000);
  }

  /** Kills Gantry with a signal; SIGKILL plays a crash. */
  async stopGantry(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      child.once("exit", () => resolve()),
    );
    child.kill(signal);
    await exited;
  }

  async stop(): Promise<void> {
    await this.stopGantry();
    await Promise.all([
      this.github.stop(),
      this.slack.stop(),
      this.mlflow.stop(),
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
        const timer = setTimeout(resolve, 200);
        this.logWaiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      this.logWaiters.clear();
    }
  }

  /** Sends the slash command fixture with new text, user and a response_url on the Slack stand-in. */
  async slashCommand(params: {
    command?: string;
    text: string;
    user?: string;
    triggerId?: string;
    fixture?: string;
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
    form.set(
      "response_url",
      this.slack.responseUrl(`command-${triggerId.replace(/\W/g, "")}`),
    );
    return this.postSlack(form.toString(), "application/x-www-form-urlencoded");
  }

  /** Sends the block_actions fixture for a button on a card, pressed by `user`. */
  async pressButton(params: {
    action: "promotion_approve" | "promotion_reject";
    promotionId: string;
    user: string;
    messageTs: string;
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
    payload.actions[0].value = params.promotionId;
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

  /** Sends a signed GitHub webhook with the compact JSON GitHub sends. */
  async webhook(
    event: string,
    payload: unknown,
    deliveryId: string,
    secret = WEBHOOK_SECRET,
  ): Promise<Response> {
    const body = JSON.stringify(payload);
    return fetch(`${this.gantryUrl}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": event,
        "x-github-delivery": deliveryId,
        "x-hub-signature-256": githubSignature(body, secret),
      },
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
}
