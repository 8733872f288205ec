import { parseGate } from "./config/repo-config.js";

/** One gate of a model checked against a version's metrics. */
export type GateResult = {
  metric: string;
  expression: string;
  value: number | undefined;
  passed: boolean;
};

const COMPARE: Record<string, (value: number, threshold: number) => boolean> = {
  ">=": (value, threshold) => value >= threshold,
  "<=": (value, threshold) => value <= threshold,
  ">": (value, threshold) => value > threshold,
  "<": (value, threshold) => value < threshold,
  "==": (value, threshold) => value === threshold,
  "!=": (value, threshold) => value !== threshold,
};

/**
 * Checks each gate (for example `accuracy: ">= 0.90"`) against the metrics.
 * A metric the run did not log fails its gate.
 */
export function evaluateGates(
  gates: Record<string, string>,
  metrics: Record<string, number>,
): GateResult[] {
  return Object.entries(gates).map(([metric, expression]) => {
    const { operator, threshold } = parseGate(expression);
    const value = metrics[metric];
    const compare = COMPARE[operator];
    const passed =
      value !== undefined && compare !== undefined && compare(value, threshold);
    return { metric, expression, value, passed };
  });
}
