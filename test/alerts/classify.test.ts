import { describe, expect, it } from "vitest";
import { classifyAlert } from "../../src/alerts/classify.js";
import type { AlertRule } from "../../src/config/alerts-schema.js";
import { validateRepoConfig } from "../../src/config/repo-config.js";

describe("classifyAlert defaults", () => {
  it.each([
    [{ alertname: "ModelFeatureDrift", category: "drift" }, "drift"],
    [{ alertname: "Anything", category: "drift" }, "drift"],
    [{ alertname: "PredictionDRIFTHigh" }, "drift"],
    [{ alertname: "driftscore" }, "drift"],
    [{ alertname: "Drift", severity: "critical" }, "drift"],
    [{ alertname: "HighErrorRate", severity: "critical" }, "critical"],
    [{ alertname: "HighErrorRate", severity: "Critical" }, "other"],
    [{ alertname: "HighErrorRate", severity: "warning" }, "other"],
    [{ alertname: "Latency", category: "drifting" }, "other"],
    [{}, "other"],
  ])("classifies %j as %s", (labels, expected) => {
    expect(classifyAlert(labels)).toBe(expected);
  });
});

describe("classifyAlert rules", () => {
  const rules: AlertRule[] = [
    { class: "other", match: { alertname: "DriftCheckerDown" }, match_re: {} },
    { class: "critical", match: {}, match_re: { team: "pay(ments)?" } },
    {
      class: "drift",
      match: { severity: "warning" },
      match_re: { alertname: ".*Skew" },
    },
  ];

  it.each([
    [{ alertname: "DriftCheckerDown" }, "other"],
    [{ alertname: "X", team: "payments" }, "critical"],
    [{ alertname: "X", team: "pay" }, "critical"],
    [{ alertname: "X", team: "payroll" }, "other"],
    [{ alertname: "TrainingServingSkew", severity: "warning" }, "drift"],
    [{ alertname: "TrainingServingSkew", severity: "critical" }, "critical"],
    [{ alertname: "SkewAlert", severity: "warning" }, "other"],
    [{ alertname: "FeatureDrift" }, "drift"],
  ])("classifies %j as %s", (labels, expected) => {
    expect(classifyAlert(labels, rules)).toBe(expected);
  });
});

describe("alerts configuration", () => {
  it("keeps configs without alerts valid", () => {
    const result = validateRepoConfig({ models: { churn: { registry: "c" } } });

    expect(result.ok).toBe(true);
    expect(result.ok ? result.config.alerts : "invalid").toBeUndefined();
  });

  it("defaults the reopen window to 7d", () => {
    const result = validateRepoConfig({ alerts: {} });

    expect(result.ok ? result.config.alerts : "invalid").toEqual({
      rules: [],
      reopen_window: "7d",
    });
  });

  it.each([
    [{ rules: [{ class: "drift" }] }, "alerts.rules[0]", "at least one label"],
    [
      { rules: [{ class: "urgent", match: { a: "b" } }] },
      "alerts.rules[0].class",
      "invalid class",
    ],
    [
      { rules: [{ class: "drift", match_re: { a: "(" } }] },
      "alerts.rules[0].match_re.a",
      "invalid regular expression",
    ],
    [{ reopen_window: "a week" }, "alerts.reopen_window", "invalid duration"],
  ])("rejects %j at its path", (alerts, path, message) => {
    const result = validateRepoConfig({ alerts });

    expect(result.ok).toBe(false);
    const problem = !result.ok ? result.problems[0] : undefined;
    expect(problem?.path).toBe(path);
    expect(problem?.message).toContain(message);
  });
});
