import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import {
  environmentOrder,
  formatPath,
  parseGate,
  validateRepoConfig,
  type ConfigProblem,
} from "../../src/config/repo-config.js";
import { SAMPLE_CONFIG } from "../helpers/repo-config.js";

function problemsOf(text: string): ConfigProblem[] {
  const result = validateRepoConfig(parse(text));
  if (result.ok) throw new Error("the configuration was accepted");
  return result.problems;
}

describe("validateRepoConfig", () => {
  it("accepts the sample configuration", () => {
    const result = validateRepoConfig(parse(SAMPLE_CONFIG));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.slack.channel).toBe("C0RELEASES");
    expect(result.config.models.churn).toEqual({
      registry: "churn-model",
      paths: ["models/churn/**"],
      training_workflow: "train.yml",
      gates: { accuracy: ">= 0.90", latency_p99_ms: "<= 2000" },
    });
    expect(result.config.environments.production).toMatchObject({
      after: "staging",
      approvals: 2,
      approvers: ["S0MLLEADS", "U0RELMGR"],
      canary: [5, 25, 50, 100],
      bake: "10m",
      auto_deploy: false,
    });
  });

  it("fills defaults for an empty file", () => {
    const result = validateRepoConfig(null);

    expect(result).toEqual({
      ok: true,
      config: {
        slack: {},
        models: {},
        environments: {
          dev: { approvals: 0, approvers: [], auto_deploy: true },
        },
      },
    });
  });

  it("defaults an environment to one approval", () => {
    const result = validateRepoConfig({ environments: { staging: {} } });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.environments.staging).toEqual({
      approvals: 1,
      approvers: [],
      auto_deploy: false,
    });
  });

  it.each([
    {
      field: "a gate",
      yaml: 'models: { churn: { registry: churn-model, gates: { accuracy: "about 0.9" } } }',
      path: "models.churn.gates.accuracy",
      message: 'for example ">= 0.90"',
    },
    {
      field: "an approver",
      yaml: "environments: { staging: { approvers: [bob] } }",
      path: "environments.staging.approvers[0]",
      message: "use a Slack user ID (U...) or user group ID (S...)",
    },
    {
      field: "canary steps",
      yaml: "environments: { production: { canary: [5, 50, 25, 100] } }",
      path: "environments.production.canary",
      message: "canary steps must increase",
    },
    {
      field: "the last canary step",
      yaml: "environments: { production: { canary: [5, 25, 50] } }",
      path: "environments.production.canary",
      message: "the last canary step must be 100",
    },
    {
      field: "a duration",
      yaml: "environments: { production: { bake: soon } }",
      path: "environments.production.bake",
      message: 'invalid duration "soon"; use a number and a unit',
    },
    {
      field: "a channel",
      yaml: "slack: { channel: releases }",
      path: "slack.channel",
      message: "use a Slack channel ID such as C0RELEASES",
    },
    {
      field: "a model name",
      yaml: "models: { -churn: { registry: churn-model } }",
      path: "models.-churn",
      message: "invalid model name",
    },
    {
      field: "an environment name",
      yaml: "environments: { Production: {} }",
      path: "environments.Production",
      message: "invalid environment name; use lower-case letters",
    },
    {
      field: "a missing registry",
      yaml: "models: { churn: { paths: [models/churn/**] } }",
      path: "models.churn.registry",
      message: "is missing; set it to the model's registered model name",
    },
    {
      field: "a Jira project",
      yaml: "jira: { project: mlops }",
      path: "jira.project",
      message: "use the upper-case key, for example MLOPS",
    },
    {
      field: "an unknown after",
      yaml: "environments: { dev: {}, staging: { after: qa } }",
      path: "environments.staging.after",
      message: 'names unknown environment "qa"; use one of dev, staging',
    },
    {
      field: "an after cycle",
      yaml: "environments: { dev: { after: staging }, staging: { after: dev } }",
      path: "environments",
      message: "the `after` fields form a cycle",
    },
    {
      field: "an unknown key",
      yaml: "models: { churn: { registry: churn-model, colour: blue } }",
      path: "models.churn.colour",
      message: "unknown key; remove it or correct its spelling",
    },
    {
      field: "an unknown top-level key",
      yaml: "environment: { dev: {} }",
      path: "environment",
      message: "unknown key",
    },
  ])("reports $field at $path", ({ yaml, path, message }) => {
    const problems = problemsOf(yaml);

    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe(path);
    expect(problems[0]?.message).toContain(message);
  });

  it("lists every problem at once", () => {
    const problems = problemsOf(`
models:
  churn: { registry: churn-model, gates: { accuracy: "about 0.9" }, colour: blue }
environments:
  staging: { after: qa, approvers: [bob] }
  production: { after: staging, canary: [5, 25, 10, 100] }
`);

    expect(problems.map((problem) => problem.path).sort()).toEqual([
      "environments.production.canary",
      "environments.staging.after",
      "environments.staging.approvers[0]",
      "models.churn.colour",
      "models.churn.gates.accuracy",
    ]);
  });

  it("reports a cycle beside other problems", () => {
    const problems = problemsOf(
      "environments: { dev: { after: staging, bake: soon }, staging: { after: dev } }",
    );

    expect(problems.map((problem) => problem.path)).toEqual([
      "environments.dev.bake",
      "environments",
    ]);
  });

  it("skips cross-field checks on unparsed environments", () => {
    const problems = problemsOf("environments: { dev: 5, staging: null }");

    expect(problems.map((problem) => problem.path)).toEqual([
      "environments.dev",
      "environments.staging",
    ]);
  });
});

type OrderCase = {
  case: string;
  environments: Record<string, { after?: string }>;
  order: string[] | undefined;
};

describe("environmentOrder", () => {
  it.each<OrderCase>([
    {
      case: "a chain",
      environments: {
        production: { after: "staging" },
        dev: {},
        staging: { after: "dev" },
      },
      order: ["dev", "staging", "production"],
    },
    {
      case: "no after fields",
      environments: { dev: {}, qa: {} },
      order: ["dev", "qa"],
    },
    {
      case: "an unknown after",
      environments: { staging: { after: "qa" }, production: {} },
      order: ["staging", "production"],
    },
    {
      case: "a cycle",
      environments: { dev: { after: "staging" }, staging: { after: "dev" } },
      order: undefined,
    },
    {
      case: "a self reference",
      environments: { dev: { after: "dev" } },
      order: undefined,
    },
  ])("orders $case", ({ environments, order }) => {
    expect(environmentOrder(environments)).toEqual(order);
  });
});

describe("formatPath", () => {
  it.each([
    { path: [], text: "(root)" },
    { path: ["models"], text: "models" },
    {
      path: ["environments", "production", "canary", 1],
      text: "environments.production.canary[1]",
    },
    { path: ["freezes", 0, "environments"], text: "freezes[0].environments" },
  ])("formats $text", ({ path, text }) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe("parseGate", () => {
  it.each([
    { gate: ">= 0.90", operator: ">=", threshold: 0.9 },
    { gate: "<=2000", operator: "<=", threshold: 2000 },
    { gate: " < -1.5 ", operator: "<", threshold: -1.5 },
    { gate: "== 1e-3", operator: "==", threshold: 0.001 },
    { gate: "!= 0", operator: "!=", threshold: 0 },
  ])("parses $gate", ({ gate, operator, threshold }) => {
    expect(parseGate(gate)).toEqual({ operator, threshold });
  });

  it.each(["about 0.9", ">= high", "0.9", "=> 0.9"])("rejects %j", (gate) => {
    expect(() => parseGate(gate)).toThrow(
      `invalid gate ${JSON.stringify(gate)}`,
    );
  });
});
