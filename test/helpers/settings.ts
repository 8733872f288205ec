import { generateKeyPairSync } from "node:crypto";
import { loadSettings, type Settings } from "../../src/config/env.js";

let privateKey: string | undefined;

/** Returns an RSA key in PEM for the GitHub App, generated once per test process. */
export function testPrivateKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs1", format: "pem" })
    .toString();
  return privateKey;
}

export const WEBHOOK_SECRET = "test-github-webhook-secret-0001";
export const SIGNING_SECRET = "test-slack-signing-secret-0001";
export const BOT_TOKEN = "xoxb-test-bot-token-0001";
export const MLFLOW_TOKEN = "test-mlflow-token-0001";
export const MLFLOW_URL = "http://mlflow.test";

/** Returns a complete, valid environment. Tests override or delete single variables. */
export function testEnv(
  overrides: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  return {
    APP_ID: "123456",
    PRIVATE_KEY: testPrivateKey(),
    WEBHOOK_SECRET,
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    MLFLOW_TRACKING_URI: MLFLOW_URL,
    MLFLOW_TRACKING_TOKEN: MLFLOW_TOKEN,
    REDIS_URL: "redis://127.0.0.1:6379",
    GANTRY_JOB_ATTEMPTS: "3",
    GANTRY_JOB_BACKOFF_MS: "10",
    LOG_LEVEL: "debug",
    ...overrides,
  };
}

export function testSettings(
  overrides: Record<string, string | undefined> = {},
): Settings {
  return loadSettings(testEnv(overrides));
}
