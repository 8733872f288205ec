import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  InvalidEnvironmentError,
  loadSettings,
  secretValues,
  type EnvProblem,
} from "../../src/config/env.js";
import {
  BOT_TOKEN,
  MLFLOW_TOKEN,
  SIGNING_SECRET,
  WEBHOOK_SECRET,
  testEnv,
  testPrivateKey,
} from "../helpers/settings.js";

/** Runs loadSettings and returns the problems it throws, or fails the test. */
function problemsOf(
  env: NodeJS.ProcessEnv,
  options: { allowMissingRedis?: boolean } = {},
): EnvProblem[] {
  try {
    loadSettings(env, options);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems;
    throw error;
  }
  throw new Error("loadSettings accepted the environment");
}

function messageFor(problems: EnvProblem[], variable: string): string {
  const found = problems.filter((problem) => problem.variable === variable);
  expect(found).toHaveLength(1);
  return found[0]?.message ?? "";
}

describe("loadSettings", () => {
  it("reads a complete environment", () => {
    const settings = loadSettings(
      testEnv({
        GANTRY_JOB_ATTEMPTS: undefined,
        GANTRY_JOB_BACKOFF_MS: undefined,
        LOG_LEVEL: undefined,
      }),
    );

    expect(settings.github).toEqual({
      appId: "123456",
      privateKey: testPrivateKey(),
      webhookSecret: WEBHOOK_SECRET,
      baseUrl: undefined,
    });
    expect(settings.slack).toEqual({
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
      appToken: undefined,
      apiUrl: "https://slack.com/api/",
    });
    expect(settings.jira).toBeUndefined();
    expect(settings.jobRetry).toEqual({ attempts: 5, delayMs: 2000 });
    expect(settings.logLevel).toBe("info");
    expect(settings.port).toBe(3000);
  });

  it("lists every missing variable at once", () => {
    const problems = problemsOf({});

    expect(problems.map((problem) => problem.variable).sort()).toEqual([
      "APP_ID",
      "MLFLOW_TRACKING_URI",
      "PRIVATE_KEY",
      "REDIS_URL",
      "SLACK_BOT_TOKEN",
      "SLACK_SIGNING_SECRET",
      "WEBHOOK_SECRET",
    ]);
    expect(messageFor(problems, "APP_ID")).toMatch(/^is missing; set it to/);
    expect(messageFor(problems, "WEBHOOK_SECRET")).toMatch(/set it to/);
    expect(messageFor(problems, "SLACK_BOT_TOKEN")).toMatch(/xoxb-/);
    expect(messageFor(problems, "MLFLOW_TRACKING_URI")).toContain(
      "for example http://mlflow:5000",
    );
    expect(messageFor(problems, "SLACK_SIGNING_SECRET")).toContain(
      "or set SLACK_APP_TOKEN",
    );
    expect(messageFor(problems, "PRIVATE_KEY")).toContain("PRIVATE_KEY_PATH");
    expect(messageFor(problems, "REDIS_URL")).toContain("gantry start --dev");
  });

  it("lists every invalid variable at once", () => {
    const problems = problemsOf(
      testEnv({
        APP_ID: "my-app",
        SLACK_BOT_TOKEN: "xoxp-user-token",
        SLACK_API_URL: "ftp://slack.com/api",
        REDIS_URL: "http://127.0.0.1:6379",
        PORT: "http",
        LOG_LEVEL: "loud",
      }),
    );

    expect(problems.map((problem) => problem.variable).sort()).toEqual([
      "APP_ID",
      "LOG_LEVEL",
      "PORT",
      "REDIS_URL",
      "SLACK_API_URL",
      "SLACK_BOT_TOKEN",
    ]);
  });

  it.each([
    ["APP_ID", "my-app", "must be the GitHub App's numeric ID, for example"],
    [
      "WEBHOOK_SECRET",
      "",
      "is empty; set it to the GitHub App's webhook secret",
    ],
    ["GHE_HOST", "https://github.example.com", "without a scheme, for example"],
    ["SLACK_BOT_TOKEN", "xoxp-user-token", "must be a bot token starting with"],
    ["SLACK_APP_TOKEN", "xoxb-not-an-app-token", "starting with xapp-"],
    ["SLACK_API_URL", "slack.com/api", "for example https://slack.com/api/"],
    ["MLFLOW_TRACKING_URI", "mlflow:5000", "for example http://mlflow:5000"],
    ["PROMETHEUS_URL", "prometheus", "for example http://prometheus:9090"],
    ["REDIS_URL", "127.0.0.1:6379", "for example redis://localhost:6379"],
    ["ALERTS_TOKEN", "short", "must be at least 16 characters"],
    ["METRICS_TOKEN", "short", "must be at least 16 characters"],
    ["GANTRY_JOB_ATTEMPTS", "0", "must be between 1 and 50"],
    ["GANTRY_JOB_ATTEMPTS", "51", "must be between 1 and 50"],
    ["GANTRY_JOB_ATTEMPTS", "two", "must be a whole number"],
    ["GANTRY_JOB_BACKOFF_MS", "5", "between 10 and 600000 milliseconds"],
    ["GANTRY_JOB_BACKOFF_MS", "soon", "must be a number of milliseconds"],
    ["LOG_LEVEL", "loud", "must be one of trace, debug, info"],
    ["PORT", "70000", "must be between 0 and 65535"],
    ["PORT", "http", "must be a port number"],
  ])("reports %s=%j with its fix", (variable, value, fix) => {
    const problems = problemsOf(testEnv({ [variable]: value }));

    expect(problems).toHaveLength(1);
    expect(messageFor(problems, variable)).toContain(fix);
  });

  it("names each problem in the error message", () => {
    let message = "";

    try {
      loadSettings(testEnv({ APP_ID: undefined, REDIS_URL: undefined }));
    } catch (error) {
      message = (error as Error).message;
    }

    expect(message).toMatch(/^Gantry cannot start: 2 environment variable/);
    expect(message).toContain("\n  APP_ID is missing; set it to");
    expect(message).toContain("\n  REDIS_URL is missing; set it to");
  });

  it("treats an empty value as unset", () => {
    const settings = loadSettings(
      testEnv({ SLACK_APP_TOKEN: "", GHE_HOST: "", PROMETHEUS_URL: "" }),
    );

    expect(settings.slack.appToken).toBeUndefined();
    expect(settings.github.baseUrl).toBeUndefined();
    expect(settings.prometheusUrl).toBeUndefined();
  });
});

describe("loadSettings private key", () => {
  it("turns escaped newlines into line breaks", () => {
    const escaped = testPrivateKey().replace(/\n/g, "\\n");

    const settings = loadSettings(testEnv({ PRIVATE_KEY: escaped }));

    expect(escaped).not.toContain("\n");
    expect(settings.github.privateKey).toBe(testPrivateKey());
  });

  it("reads PRIVATE_KEY_PATH", () => {
    const folder = mkdtempSync(join(tmpdir(), "gantry-env-"));
    const path = join(folder, "app.pem");
    writeFileSync(path, testPrivateKey());

    const settings = loadSettings(
      testEnv({ PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: path }),
    );

    expect(settings.github.privateKey).toBe(testPrivateKey());
  });

  it("reports an unreadable PRIVATE_KEY_PATH", () => {
    const path = join(tmpdir(), "gantry-env-missing", "app.pem");

    const problems = problemsOf(
      testEnv({ PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: path }),
    );

    expect(problems).toHaveLength(1);
    const message = messageFor(problems, "PRIVATE_KEY_PATH");
    expect(message).toContain("cannot be read (ENOENT)");
    expect(message).toContain(path);
    expect(message).toContain("point it at the .pem");
  });

  it("reports a key that is not PEM", () => {
    const problems = problemsOf(testEnv({ PRIVATE_KEY: "not a key" }));

    expect(messageFor(problems, "PRIVATE_KEY")).toContain(
      "does not contain a PEM private key",
    );
  });

  it("reports the key with other problems", () => {
    const problems = problemsOf(
      testEnv({ PRIVATE_KEY: undefined, APP_ID: undefined }),
    );

    expect(problems.map((problem) => problem.variable).sort()).toEqual([
      "APP_ID",
      "PRIVATE_KEY",
    ]);
  });
});

describe("loadSettings Jira", () => {
  const jira = {
    JIRA_BASE_URL: "https://example.atlassian.net",
    JIRA_EMAIL: "gantry@example.com",
    JIRA_API_TOKEN: "jira-token-0001",
  };

  it("turns Jira on with all three variables", () => {
    const settings = loadSettings(testEnv(jira));

    expect(settings.jira).toEqual({
      baseUrl: "https://example.atlassian.net",
      email: "gantry@example.com",
      apiToken: "jira-token-0001",
    });
  });

  it("reports each missing Jira variable", () => {
    const problems = problemsOf(testEnv({ JIRA_BASE_URL: jira.JIRA_BASE_URL }));

    expect(problems.map((problem) => problem.variable).sort()).toEqual([
      "JIRA_API_TOKEN",
      "JIRA_EMAIL",
    ]);
    expect(messageFor(problems, "JIRA_EMAIL")).toContain(
      "or none of them to turn Jira off",
    );
  });
});

describe("loadSettings REDIS_URL", () => {
  it("requires REDIS_URL outside developer mode", () => {
    const problems = problemsOf(testEnv({ REDIS_URL: undefined }));

    expect(problems.map((problem) => problem.variable)).toEqual(["REDIS_URL"]);
  });

  it("allows a missing REDIS_URL in developer mode", () => {
    const settings = loadSettings(testEnv({ REDIS_URL: undefined }), {
      allowMissingRedis: true,
    });

    expect(settings.redisUrl).toBeUndefined();
  });

  it("still checks a REDIS_URL given in developer mode", () => {
    const problems = problemsOf(testEnv({ REDIS_URL: "localhost:6379" }), {
      allowMissingRedis: true,
    });

    expect(problems.map((problem) => problem.variable)).toEqual(["REDIS_URL"]);
  });
});

describe("loadSettings base URLs", () => {
  it.each([
    [{ GHE_HOST: "github.example.com" }, "https://github.example.com/api/v3"],
    [
      { GHE_HOST: "127.0.0.1:8443", GHE_PROTOCOL: "http" },
      "http://127.0.0.1:8443/api/v3",
    ],
  ])("turns %j into a REST base URL", (variables, baseUrl) => {
    const settings = loadSettings(testEnv(variables));

    expect(settings.github.baseUrl).toBe(baseUrl);
  });

  it("reports GHE_PROTOCOL without GHE_HOST", () => {
    const problems = problemsOf(testEnv({ GHE_PROTOCOL: "http" }));

    expect(messageFor(problems, "GHE_PROTOCOL")).toContain("set GHE_HOST too");
  });

  it.each([
    ["http://127.0.0.1:9000/api", "http://127.0.0.1:9000/api/"],
    ["http://127.0.0.1:9000/api/", "http://127.0.0.1:9000/api/"],
  ])("ends SLACK_API_URL %s with a slash", (value, apiUrl) => {
    const settings = loadSettings(testEnv({ SLACK_API_URL: value }));

    expect(settings.slack.apiUrl).toBe(apiUrl);
  });

  it("drops trailing slashes from service URLs", () => {
    const settings = loadSettings(
      testEnv({
        MLFLOW_TRACKING_URI: "http://mlflow.test:5000//",
        PROMETHEUS_URL: "http://prometheus.test:9090/",
      }),
    );

    expect(settings.mlflow.trackingUri).toBe("http://mlflow.test:5000");
    expect(settings.prometheusUrl).toBe("http://prometheus.test:9090");
  });
});

describe("secretValues", () => {
  it("lists every configured secret", () => {
    const settings = loadSettings(
      testEnv({
        SLACK_APP_TOKEN: "xapp-test-app-token",
        JIRA_BASE_URL: "https://example.atlassian.net",
        JIRA_EMAIL: "gantry@example.com",
        JIRA_API_TOKEN: "jira-token-0001",
        ALERTS_TOKEN: "alerts-token-0000001",
        METRICS_TOKEN: "metrics-token-000001",
      }),
    );

    expect(secretValues(settings).sort()).toEqual(
      [
        testPrivateKey(),
        WEBHOOK_SECRET,
        BOT_TOKEN,
        SIGNING_SECRET,
        "xapp-test-app-token",
        "jira-token-0001",
        MLFLOW_TOKEN,
        "alerts-token-0000001",
        "metrics-token-000001",
      ].sort(),
    );
  });

  it("skips unset and very short values", () => {
    const settings = loadSettings(
      testEnv({ MLFLOW_TRACKING_TOKEN: undefined, WEBHOOK_SECRET: "abc" }),
    );

    const secrets = secretValues(settings);

    expect(secrets).not.toContain("abc");
    expect(secrets).not.toContain(undefined);
    expect(secrets).toHaveLength(3);
  });
});
