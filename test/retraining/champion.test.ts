import { describe, expect, it } from "vitest";
import { compareWithChampion } from "../../src/retraining/champion.js";

const GATES = { accuracy: ">= 0.90", latency_p99_ms: "<= 2000" };

function champion(metrics: Record<string, number>) {
  return { version: "41", environment: "production", metrics };
}

describe("compareWithChampion", () => {
  it.each([
    ["better on both", { accuracy: 0.95, latency_p99_ms: 1400 }, "better"],
    [
      "better on one, equal on the other",
      { accuracy: 0.95, latency_p99_ms: 1800 },
      "better",
    ],
    ["equal on both", { accuracy: 0.91, latency_p99_ms: 1800 }, "equal"],
    [
      "better accuracy but slower",
      { accuracy: 0.99, latency_p99_ms: 1900 },
      "worse",
    ],
    ["worse on both", { accuracy: 0.9, latency_p99_ms: 1900 }, "worse"],
    ["missing a metric", { accuracy: 0.95 }, "better"],
  ])("%s is %s", (_name, candidate, verdict) => {
    const comparison = compareWithChampion(
      GATES,
      candidate,
      champion({ accuracy: 0.91, latency_p99_ms: 1800 }),
    );

    expect(comparison.verdict).toBe(verdict);
  });

  it("reads the direction from the gate", () => {
    const comparison = compareWithChampion(
      GATES,
      { accuracy: 0.95, latency_p99_ms: 1900 },
      champion({ accuracy: 0.91, latency_p99_ms: 1800 }),
    );

    expect(comparison.metrics).toEqual([
      {
        metric: "accuracy",
        candidate: 0.95,
        champion: 0.91,
        better: "higher",
        change: "better",
      },
      {
        metric: "latency_p99_ms",
        candidate: 1900,
        champion: 1800,
        better: "lower",
        change: "worse",
      },
    ]);
  });

  it("leaves out gates without a direction", () => {
    const comparison = compareWithChampion(
      { classes: "== 3", accuracy: "> 0.5" },
      { classes: 3, accuracy: 0.6 },
      champion({ classes: 3, accuracy: 0.7 }),
    );

    expect(comparison.metrics.map((row) => row.metric)).toEqual(["accuracy"]);
    expect(comparison.verdict).toBe("worse");
  });

  it("has nothing to beat without a champion", () => {
    const comparison = compareWithChampion(GATES, { accuracy: 0.5 }, undefined);

    expect(comparison.verdict).toBe("no_champion");
  });
});
