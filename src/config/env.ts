import { readFileSync } from "node:fs";
import { z } from "zod";

const LOG_LEVELS = [
  "trace",
  "debug",
  "info",
  "warn",
  "error",
  "fatal",
] as const;

const url = (fix: string) =>
  z
    .url({ error: `must be an absolute http(s) URL; ${fix}`, abort: true })
    .refine((value) => /^https?:\/\//.test(value), {
      error: `must start with http:// or https://; ${fix}`,
    });

const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    // Blank means unset, so PORT=" " is reported missing, not read as 0.
    (value) =>
      typeof value === "string" && value.trim() === "" ? undefined : value,
    schema.optional(),
  );

/** Raw environment variables as DESIGN.md names them, before cross-field checks. */
const envSchema = z.object({
  APP_ID: z
    .string({
      error:
        "is missing; set it to the GitHub App's numeric ID (App settings, About)",
    })
    .regex(/^\d+$/, {
      error: "must be the GitHub App's numeric ID, for example 123456",
    }),
  PRIVATE_KEY: optional(z.string()),
  PRIVATE_KEY_PATH: optional(z.string()),
  WEBHOOK_SECRET: z
    .string({
      error:
        "is missing; set it to the webhook secret entered in the GitHub App settings",
    })
    .min(1, { error: "is empty; set it to the GitHub App's webhook secret" }),
  GHE_HOST: optional(
    z.string().regex(/^[A-Za-z0-9.-]+(:\d+)?$/, {
      error:
        "must be a host name with an optional port, without a scheme, for example github.example.com",
    }),
  ),
  GHE_PROTOCOL: optional(
    z.enum(["http", "https"], { error: "must be http or https" }),
  ),
  SLACK_BOT_TOKEN: z
    .string({
      error:
        "is missing; set it to the bot token (xoxb-...) from the Slack app's OAuth page",
    })
    .regex(/^xoxb-/, { error: "must be a bot token starting with xoxb-" }),
  SLACK_SIGNING_SECRET: optional(z.string().min(1)),
  SLACK_APP_TOKEN: optional(
    z.string().regex(/^xapp-/, {
      error: "must be an app-level token starting with xapp-",
    }),
  ),
  SLACK_API_URL: optional(url("for example https://slack.com/api/")),
  JIRA_BASE_URL: optional(url("for example https://example.atlassian.net")),
  JIRA_EMAIL: optional(z.string().min(1)),
  JIRA_API_TOKEN: optional(z.string().min(1)),
  MLFLOW_TRACKING_URI: url(
    "set it to the MLflow server, for example http://mlflow:5000",
  ),
  MLFLOW_TRACKING_TOKEN: optional(z.string().min(1)),
  PROMETHEUS_URL: optional(url("for example http://prometheus:9090")),
  REDIS_URL: optional(
    z.string().regex(/^rediss?:\/\//, {
      error:
        "must be a redis:// or rediss:// URL, for example redis://localhost:6379",
    }),
  ),
  ALERTS_TOKEN: optional(
    z.string().min(16, { error: "must be at least 16 characters" }),
  ),
  METRICS_TOKEN: optional(
    z.string().min(16, { error: "must be at least 16 characters" }),
  ),
  GANTRY_CONFIG: optional(z.string()),
  GANTRY_JOB_ATTEMPTS: optional(
    z.coerce
      .number({ error: "must be a whole number" })
      .int()
      .min(1, { error: "must be between 1 and 50" })
      .max(50, { error: "must be between 1 and 50" }),
  ),
  GANTRY_JOB_BACKOFF_MS: optional(
    z.coerce
      .number({ error: "must be a number of milliseconds" })
      .int()
      .min(10, { error: "must be between 10 and 600000 milliseconds" })
      .max(600_000, {
        error: "must be between 10 and 600000 milliseconds",
      }),
  ),
  LOG_LEVEL: optional(
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }),
  ),
  PORT: optional(
    z.coerce
      .number({ error: "must be a port number" })
      .int()
      .min(0, { error: "must be between 0 and 65535" })
      .max(65535, { error: "must be between 0 and 65535" }),
  ),
});

type RawEnv = z.infer<typeof envSchema>;

export type Settings = {
  github: {
    appId: string;
    privateKey: string;
    webhookSecret: string;
    /** REST base URL; undefined means api.github.com. */
    baseUrl: string | undefined;
  };
  slack: {
    botToken: string;
    signingSecret: string | undefined;
    appToken: string | undefined;
    apiUrl: string;
  };
  jira: { baseUrl: string; email: string; apiToken: string } | undefined;
  mlflow: { trackingUri: string; token: string | undefined };
  prometheusUrl: string | undefined;
  redisUrl: string | undefined;
  alertsToken: string | undefined;
  metricsToken: string | undefined;
  serverConfigPath: string | undefined;
  /** Tries per job, and the first retry's delay; later delays double. */
  jobRetry: { attempts: number; delayMs: number };
  logLevel: (typeof LOG_LEVELS)[number];
  port: number;
};

export type EnvProblem = { variable: string; message: string };

export class InvalidEnvironmentError extends Error {
  readonly code = "invalid_environment";

  constructor(readonly problems: EnvProblem[]) {
    super(
      [
        `Gantry cannot start: ${problems.length} environment variable problem(s).`,
        ...problems.map(
          (problem) => `  ${problem.variable} ${problem.message}`,
        ),
      ].join("\n"),
    );
  }
}

export type LoadOptions = {
  /** Whether REDIS_URL may be absent, because developer mode starts its own. */
  allowMissingRedis?: boolean;
};

/**
 * Reads and validates every environment variable at once, so that one run
 * reports every problem instead of the first.
 */
export function loadSettings(
  env: NodeJS.ProcessEnv,
  options: LoadOptions = {},
): Settings {
  const parsed = envSchema.safeParse(env);
  const problems: EnvProblem[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? "environment"),
        message: issue.message,
      }));
  const raw = parsed.success ? parsed.data : undefined;

  problems.push(...crossFieldProblems(env, options));
  const privateKey = readPrivateKey(env, problems);
  if (problems.length > 0 || !raw || !privateKey) {
    throw new InvalidEnvironmentError(dedupe(problems));
  }

  return toSettings(raw, privateKey);
}

function crossFieldProblems(
  env: NodeJS.ProcessEnv,
  options: LoadOptions,
): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const present = (name: string) => Boolean(env[name]);

  if (!present("SLACK_SIGNING_SECRET") && !present("SLACK_APP_TOKEN")) {
    problems.push({
      variable: "SLACK_SIGNING_SECRET",
      message:
        "is missing; set it to the signing secret from the Slack app's Basic Information page, or set SLACK_APP_TOKEN for Socket Mode",
    });
  }

  const jira = ["JIRA_BASE_URL", "JIRA_EMAIL", "JIRA_API_TOKEN"];
  const jiraSet = jira.filter(present);
  if (jiraSet.length > 0 && jiraSet.length < jira.length) {
    for (const name of jira.filter((variable) => !present(variable))) {
      problems.push({
        variable: name,
        message: `is missing; Jira needs all of ${jira.join(", ")}, or none of them to turn Jira off`,
      });
    }
  }

  if (!present("REDIS_URL") && !options.allowMissingRedis) {
    problems.push({
      variable: "REDIS_URL",
      message:
        "is missing; set it to a Redis 6.2+ URL such as redis://localhost:6379, or run `gantry start --dev` to start a throwaway local redis-server",
    });
  }

  if (present("GHE_PROTOCOL") && !present("GHE_HOST")) {
    problems.push({
      variable: "GHE_PROTOCOL",
      message: "is set without GHE_HOST; set GHE_HOST too",
    });
  }

  return problems;
}

function readPrivateKey(
  env: NodeJS.ProcessEnv,
  problems: EnvProblem[],
): string | undefined {
  let key = env.PRIVATE_KEY?.replace(/\\n/g, "\n");
  let variable = "PRIVATE_KEY";

  if (!key && env.PRIVATE_KEY_PATH) {
    variable = "PRIVATE_KEY_PATH";
    try {
      key = readFileSync(env.PRIVATE_KEY_PATH, "utf8");
    } catch (error) {
      const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
      problems.push({
        variable,
        message: `names a file that cannot be read (${reason}): ${env.PRIVATE_KEY_PATH}; point it at the .pem downloaded from the GitHub App settings`,
      });
      return undefined;
    }
  }

  if (!key) {
    problems.push({
      variable: "PRIVATE_KEY",
      message:
        "is missing; set PRIVATE_KEY to the GitHub App's PEM private key, or PRIVATE_KEY_PATH to the .pem file",
    });
    return undefined;
  }

  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) {
    problems.push({
      variable,
      message:
        "does not contain a PEM private key (-----BEGIN ... PRIVATE KEY-----); use the .pem from the GitHub App settings",
    });
    return undefined;
  }

  return key;
}

function toSettings(raw: RawEnv, privateKey: string): Settings {
  const protocol = raw.GHE_PROTOCOL ?? "https";

  return {
    github: {
      appId: raw.APP_ID,
      privateKey,
      webhookSecret: raw.WEBHOOK_SECRET,
      baseUrl: raw.GHE_HOST
        ? `${protocol}://${raw.GHE_HOST}/api/v3`
        : undefined,
    },
    slack: {
      botToken: raw.SLACK_BOT_TOKEN,
      signingSecret: raw.SLACK_SIGNING_SECRET,
      appToken: raw.SLACK_APP_TOKEN,
      apiUrl: withTrailingSlash(raw.SLACK_API_URL ?? "https://slack.com/api/"),
    },
    jira:
      raw.JIRA_BASE_URL && raw.JIRA_EMAIL && raw.JIRA_API_TOKEN
        ? {
            baseUrl: raw.JIRA_BASE_URL,
            email: raw.JIRA_EMAIL,
            apiToken: raw.JIRA_API_TOKEN,
          }
        : undefined,
    mlflow: {
      trackingUri: raw.MLFLOW_TRACKING_URI.replace(/\/+$/, ""),
      token: raw.MLFLOW_TRACKING_TOKEN,
    },
    prometheusUrl: raw.PROMETHEUS_URL?.replace(/\/+$/, ""),
    redisUrl: raw.REDIS_URL,
    alertsToken: raw.ALERTS_TOKEN,
    metricsToken: raw.METRICS_TOKEN,
    serverConfigPath: raw.GANTRY_CONFIG,
    jobRetry: {
      attempts: raw.GANTRY_JOB_ATTEMPTS ?? 5,
      delayMs: raw.GANTRY_JOB_BACKOFF_MS ?? 2000,
    },
    logLevel: raw.LOG_LEVEL ?? "info",
    port: raw.PORT ?? 3000,
  };
}

function withTrailingSlash(value: string): string {
  return value.endsWith("/") ? value : `${value}/`;
}

function dedupe(problems: EnvProblem[]): EnvProblem[] {
  const seen = new Set<string>();
  return problems.filter((problem) => {
    const key = `${problem.variable} ${problem.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Returns the values that must never reach a log line, Slack or Jira. */
export function secretValues(settings: Settings): string[] {
  return [
    settings.github.privateKey,
    settings.github.webhookSecret,
    settings.slack.botToken,
    settings.slack.signingSecret,
    settings.slack.appToken,
    settings.jira?.apiToken,
    settings.mlflow.token,
    settings.alertsToken,
    settings.metricsToken,
  ].filter(
    (value): value is string => typeof value === "string" && value.length >= 6,
  );
}
