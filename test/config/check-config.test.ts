import { describe, expect, it } from "vitest";
import {
  checkConfigText,
  formatProblems,
  mergeDefaults,
  type LocatedProblem,
} from "../../src/config/check-config.js";
import { SAMPLE_CONFIG } from "../helpers/repo-config.js";

/** Line numbers below count from the `slack:` line as line 1. */
const BROKEN_CONFIG = `slack:
  channel: C0RELEASES
models:
  churn:
    registry: churn-model
    gates: { accuracy: "about 0.9" }
    colour: blue
  fraud:
    paths: [models/fraud/**]
environments:
  dev: { auto_deploy: true, approvals: 0 }
  staging: { after: qa, approvals: 1, approvers: [U0RELMGR, bob] }
  production:
    after: staging
    canary: [5, 25, 10]
`;

function problemsOf(text: string, defaults?: unknown): LocatedProblem[] {
  const result = checkConfigText(text, defaults);
  if (result.ok) throw new Error("the configuration was accepted");
  return result.problems;
}

describe("checkConfigText", () => {
  it("accepts the sample configuration", () => {
    const result = checkConfigText(SAMPLE_CONFIG);

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.config.models)).toEqual(["churn"]);
  });

  it("locates every problem on its line", () => {
    const problems = problemsOf(BROKEN_CONFIG);

    const located = problems.map(({ path, line }) => `${path} @${line}`);
    expect(located.sort()).toEqual([
      "environments.production.canary @15",
      "environments.production.canary @15",
      "environments.staging.after @12",
      "environments.staging.approvers[1] @12",
      "models.churn.colour @7",
      "models.churn.gates.accuracy @6",
      "models.fraud.registry @8",
    ]);
  });

  it("points a block value at its key", () => {
    const problems = problemsOf(`slack:
  channel: C0RELEASES
environments:
  dev:
    after: production
  production:
    after: dev
`);

    expect(problems).toEqual([
      {
        path: "environments",
        message: expect.stringContaining("form a cycle") as string,
        line: 3,
      },
    ]);
  });

  it("reports a YAML syntax error with its line", () => {
    const problems = problemsOf(`models:
  churn:
    registry: churn-model
    paths: [models/churn/**
environments: {}
`);

    expect(problems.length).toBeGreaterThan(0);
    for (const problem of problems) {
      expect(problem.path).toBe("(yaml)");
      expect(problem.message).toMatch(/flow sequence/i);
      expect(problem.line).toBeGreaterThanOrEqual(4);
    }
  });

  it("reports a file that is not a mapping", () => {
    const problems = problemsOf("- churn\n- fraud\n");

    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe("(root)");
  });

  it("validates the merge with server defaults", () => {
    const defaults = {
      slack: { channel: "C0DEFAULTS" },
      environments: { dev: { approvals: 0 }, staging: { after: "dev" } },
    };

    const result = checkConfigText(
      "models: { churn: { registry: churn-model } }\n",
      defaults,
    );

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.slack.channel).toBe("C0DEFAULTS");
    expect(Object.keys(result.config.environments)).toEqual(["dev", "staging"]);
  });

  it("reports problems that the defaults bring", () => {
    const problems = problemsOf("slack: { channel: C0RELEASES }\n", {
      environments: { staging: { after: "qa" } },
    });

    expect(problems).toEqual([
      {
        path: "environments.staging.after",
        message: expect.stringContaining('unknown environment "qa"') as string,
        line: undefined,
      },
    ]);
  });
});

describe("formatProblems", () => {
  it("prints one problem a line", () => {
    const text = formatProblems([
      { path: "models.churn.gates.accuracy", message: "invalid gate", line: 6 },
      { path: "environments", message: "cycle", line: undefined },
    ]);

    expect(text).toBe(
      "models.churn.gates.accuracy: invalid gate (line 6)\nenvironments: cycle",
    );
  });
});

describe("mergeDefaults", () => {
  it.each([
    {
      case: "nested mappings key by key",
      defaults: { slack: { channel: "C0A", alerts_channel: "C0B" } },
      overrides: { slack: { channel: "C0C" } },
      merged: { slack: { channel: "C0C", alerts_channel: "C0B" } },
    },
    {
      case: "lists as a whole",
      defaults: { approvers: ["U0A", "U0B"] },
      overrides: { approvers: ["U0C"] },
      merged: { approvers: ["U0C"] },
    },
    {
      case: "a scalar over a mapping",
      defaults: { retrain: { on_drift: true } },
      overrides: { retrain: null },
      merged: { retrain: null },
    },
    {
      case: "keys only the defaults have",
      defaults: { jira: { project: "MLOPS" } },
      overrides: { models: {} },
      merged: { jira: { project: "MLOPS" }, models: {} },
    },
    {
      case: "an absent file",
      defaults: { models: {} },
      overrides: undefined,
      merged: { models: {} },
    },
    {
      case: "no defaults",
      defaults: {},
      overrides: { models: { churn: {} } },
      merged: { models: { churn: {} } },
    },
  ])("merges $case", ({ defaults, overrides, merged }) => {
    expect(mergeDefaults(defaults, overrides)).toEqual(merged);
  });

  it("leaves both inputs unchanged", () => {
    const defaults = { slack: { channel: "C0A" } };
    const overrides = { slack: { alerts_channel: "C0B" } };

    mergeDefaults(defaults, overrides);

    expect(defaults).toEqual({ slack: { channel: "C0A" } });
    expect(overrides).toEqual({ slack: { alerts_channel: "C0B" } });
  });
});
