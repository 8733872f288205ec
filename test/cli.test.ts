import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SAMPLE_CONFIG } from "./helpers/repo-config.js";

const CLI = join(import.meta.dirname, "..", "dist", "src", "cli.js");

let folder = "";

function writeConfig(name: string, text: string): string {
  const path = join(folder, name);
  writeFileSync(path, text);
  return path;
}

/** Runs the built CLI and returns its exit code and output. */
function gantry(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeAll(() => {
  if (!existsSync(CLI))
    throw new Error(`${CLI} is missing; run npm run build first`);
  folder = mkdtempSync(join(tmpdir(), "gantry-cli-"));
});

describe("gantry check-config", () => {
  it("accepts a valid file with exit 0", () => {
    const file = writeConfig("valid.yml", SAMPLE_CONFIG);

    const { code, stdout, stderr } = gantry("check-config", file);

    expect(code).toBe(0);
    expect(stdout).toBe(`${file}: valid (1 model(s): churn)\n`);
    expect(stderr).toBe("");
  });

  it("lists each problem with exit 1", () => {
    const file = writeConfig(
      "invalid.yml",
      `models:
  churn:
    registry: churn-model
    gates: { accuracy: "about 0.9" }
environments:
  staging: { after: qa, approvers: [bob] }
`,
    );

    const { code, stdout, stderr } = gantry("check-config", file);

    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.split("\n")).toEqual([
      `${file}: 3 problem(s)`,
      'models.churn.gates.accuracy: invalid gate; write a comparison and a number, for example ">= 0.90" or "<= 2000" (line 4)',
      "environments.staging.approvers[0]: invalid approver; use a Slack user ID (U...) or user group ID (S...) (line 6)",
      'environments.staging.after: names unknown environment "qa"; use one of staging (line 6)',
      "",
    ]);
  });

  it("reports a YAML syntax error with exit 1", () => {
    const file = writeConfig("syntax.yml", "models:\n  churn: [unclosed\n");

    const { code, stderr } = gantry("check-config", file);

    expect(code).toBe(1);
    expect(stderr).toMatch(/^\(yaml\): .+ \(line \d+\)$/m);
  });

  it("merges a defaults file", () => {
    const defaults = writeConfig(
      "defaults.yml",
      "slack: { channel: C0RELEASES }\nenvironments: { dev: { approvals: 0 } }\n",
    );
    const file = writeConfig(
      "models-only.yml",
      "models: { churn: { registry: churn-model }, fraud: { registry: fraud-model } }\n",
    );

    const { code, stdout } = gantry(
      "check-config",
      file,
      "--defaults",
      defaults,
    );

    expect(code).toBe(0);
    expect(stdout).toBe(`${file}: valid (2 model(s): churn, fraud)\n`);
  });

  it("reports a missing file with exit 2", () => {
    const file = join(folder, "absent.yml");

    const { code, stderr } = gantry("check-config", file);

    expect(code).toBe(2);
    expect(stderr).toBe(`${file}: cannot be read (ENOENT); check the path\n`);
  });

  it("asks for a file with exit 2", () => {
    const { code, stderr } = gantry("check-config");

    expect(code).toBe(2);
    expect(stderr).toContain("check-config needs a file");
  });
});

describe("gantry check-config unreadable input", () => {
  it("reports an alias to no anchor", () => {
    const file = writeConfig("alias.yml", "models:\n  churn: *nope\n");

    const { code, stdout, stderr } = gantry("check-config", file);

    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(new RegExp(`^${file}: .*nope`));
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("names a missing defaults file", () => {
    const file = writeConfig("plain.yml", SAMPLE_CONFIG);

    const { code, stderr } = gantry(
      "check-config",
      file,
      "--defaults",
      join(folder, "absent.yml"),
    );

    expect(code).toBe(1);
    expect(stderr).toBe(
      `${file}: --defaults names a file that cannot be read (ENOENT): ${join(folder, "absent.yml")}\n`,
    );
  });
});

describe("gantry start", () => {
  it("reports an unreadable GANTRY_CONFIG without a stack", () => {
    const run = spawnSync(process.execPath, [CLI, "start"], {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        APP_ID: "1",
        PRIVATE_KEY:
          "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----",
        WEBHOOK_SECRET: "secret-for-cli-test",
        SLACK_BOT_TOKEN: "xoxb-cli-test",
        SLACK_SIGNING_SECRET: "cli-test-signing-secret",
        MLFLOW_TRACKING_URI: "http://127.0.0.1:9",
        REDIS_URL: "redis://127.0.0.1:9",
        GANTRY_CONFIG: join(folder, "absent-defaults.yml"),
      },
    });

    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `Gantry cannot start: GANTRY_CONFIG names a file that cannot be read (ENOENT): ${join(folder, "absent-defaults.yml")}\n`,
    );
  });
});
