import { describe, expect, it } from "vitest";
import type { ModelEntry } from "../../src/config/config-registry.js";
import { gateBlockers } from "../../src/promotions/release-checks.js";
import { blockedMessage } from "../../templates/blockers.js";
import { repoConfig } from "../helpers/repo-config.js";

const config = repoConfig();
const ENTRY = {
  key: "example-user/Hello-World:churn",
  name: "churn",
  model: config.models.churn,
  environments: config.environments,
} as ModelEntry;

function blockers(
  metrics: Record<string, number>,
  champion?: { version: string; metrics: Record<string, number> },
) {
  return gateBlockers({
    entry: ENTRY,
    environment: "production",
    version: "42",
    requestedBy: "U0000001",
    metrics,
    champion,
  });
}

describe("gateBlockers", () => {
  it.each<[string, Record<string, number>, string[]]>([
    ["passing gates", { accuracy: 0.934, latency_p99_ms: 1510 }, []],
    [
      "a metric below its gate",
      { accuracy: 0.88, latency_p99_ms: 1510 },
      ["accuracy of version 42 is 0.88, which fails the gate accuracy >= 0.90"],
    ],
    [
      "a metric above its gate",
      { accuracy: 0.95, latency_p99_ms: 2100 },
      [
        "latency_p99_ms of version 42 is 2100, which fails the gate latency_p99_ms <= 2000",
      ],
    ],
    ["a metric the run did not log", { accuracy: 0.95 }, []],
  ])("checks %s", (_name, metrics, messages) => {
    expect(blockers(metrics).map((blocker) => blocker.message)).toEqual(
      messages,
    );
  });

  it("blocks a version worse than the champion", () => {
    const found = blockers(
      { accuracy: 0.92, latency_p99_ms: 1510 },
      { version: "41", metrics: { accuracy: 0.93, latency_p99_ms: 1800 } },
    );

    expect(found).toEqual([
      {
        code: "gate_failed",
        message:
          "accuracy of version 42 is 0.92, worse than 0.93 for version 41, the version the production alias points to (higher is better)",
        fix: "promote a version at least as good as version 41 on the gated metrics, or change the gate in .github/gantry.yml",
      },
    ]);
    expect(
      blockedMessage({
        modelName: "churn",
        version: "42",
        environment: "production",
        blockers: found,
      }).text,
    ).toBe(
      "churn 42 cannot be promoted to production now: accuracy of version 42 is 0.92, worse than 0.93 for version 41, the version the production alias points to (higher is better)",
    );
  });

  it("does not compare a version with itself", () => {
    expect(
      blockers(
        { accuracy: 0.92, latency_p99_ms: 1510 },
        { version: "42", metrics: { accuracy: 0.99 } },
      ),
    ).toEqual([]);
  });
});
