import { instantQuery, type QueryData } from "./prometheus.js";

export type HealthVerdict = "pass" | "fail" | "no_data";

/** One evaluation of an environment's health query. */
export type HealthResult = {
  verdict: HealthVerdict;
  /** The sample values behind the verdict: the query's own, or its left operand's on a failure. */
  values: number[];
  /** A short sentence for the card's thread, with the numbers. */
  detail: string;
};

/** A health query split at its comparison, for example `ratio < 0.02`. */
export type Comparison = {
  left: string;
  operator: string;
  /** True when the comparison has the `bool` modifier, so it returns 0 or 1 per series. */
  bool: boolean;
  right: string;
};

/**
 * Evaluates a health query against Prometheus at this moment.
 *
 * The query is expected to return samples only while the model is healthy,
 * as a comparison such as `error_ratio < 0.02` does. The verdict is:
 * - a vector with samples: pass; with the `bool` modifier, pass when every
 *   sample is 1 and fail when one is 0;
 * - an empty vector: Gantry runs the left operand of the query's comparison
 *   alone. Samples there mean the comparison filtered them out: fail, with
 *   their values. No samples mean no data. A query that is not one
 *   comparison (none, or joined by and/or/unless) cannot be split, so its
 *   empty result counts as no data;
 * - a scalar: 0 fails, NaN is no data, any other value passes;
 * - anything else (a range vector, a string, a rejected query, a timeout, a
 *   5xx, a reply of another shape, PROMETHEUS_URL unset): no data.
 */
export async function evaluateHealth(params: {
  prometheusUrl: string | undefined;
  query: string;
}): Promise<HealthResult> {
  const { prometheusUrl, query } = params;
  if (!prometheusUrl) {
    return noData("PROMETHEUS_URL is not set, so the health query cannot run");
  }

  const comparison = splitComparison(query);
  const outcome = await instantQuery(prometheusUrl, query);
  if (!outcome.ok) return noData(outcome.error);

  const { data } = outcome;
  if (data.resultType === "scalar")
    return scalarVerdict(Number(data.result[1]));
  if (data.resultType !== "vector") {
    return noData(
      `the query returned a ${data.resultType}; write it as an instant vector or a scalar`,
    );
  }

  const values = vectorValues(data);
  if (comparison?.bool) return boolVerdict(values);
  if (values.length > 0) {
    return {
      verdict: "pass",
      values,
      detail: `healthy: ${formatValues(values)}`,
    };
  }
  if (!comparison) {
    return noData(
      "the query returned no samples, and it is not one comparison that Gantry can split to tell a failure from missing data",
    );
  }
  return operandVerdict(prometheusUrl, comparison);
}

/** Runs the left operand of an empty comparison: samples mean it failed, none mean no data. */
async function operandVerdict(
  prometheusUrl: string,
  comparison: Comparison,
): Promise<HealthResult> {
  const outcome = await instantQuery(prometheusUrl, comparison.left);
  if (!outcome.ok) return noData(outcome.error);

  const values =
    outcome.data.resultType === "vector"
      ? vectorValues(outcome.data)
      : outcome.data.resultType === "scalar"
        ? [Number(outcome.data.result[1])].filter(
            (value) => !Number.isNaN(value),
          )
        : [];
  if (values.length === 0) return noData("the query returned no samples");
  return {
    verdict: "fail",
    values,
    detail: `unhealthy: ${formatValues(values)}, not ${comparison.operator} ${comparison.right}`,
  };
}

function scalarVerdict(value: number): HealthResult {
  if (Number.isNaN(value)) return noData("the query returned NaN");
  if (value === 0) {
    return { verdict: "fail", values: [value], detail: "unhealthy: 0" };
  }
  return {
    verdict: "pass",
    values: [value],
    detail: `healthy: ${formatValues([value])}`,
  };
}

function boolVerdict(values: number[]): HealthResult {
  if (values.length === 0) return noData("the query returned no samples");
  if (values.some((value) => value === 0)) {
    return {
      verdict: "fail",
      values,
      detail: `unhealthy: ${values.filter((value) => value === 0).length} of ${values.length} series returned 0`,
    };
  }
  return {
    verdict: "pass",
    values,
    detail: `healthy: ${values.length} of ${values.length} series returned 1`,
  };
}

function vectorValues(data: Extract<QueryData, { resultType: "vector" }>) {
  return data.result
    .map((sample) => Number(sample.value[1]))
    .filter((value) => !Number.isNaN(value));
}

function noData(reason: string): HealthResult {
  return { verdict: "no_data", values: [], detail: `no data: ${reason}` };
}

/** Formats sample values with three significant digits, at most five of them. */
export function formatValues(values: readonly number[]): string {
  const shown = values
    .slice(0, 5)
    .map((value) => String(Number(value.toPrecision(3))));
  const more = values.length > 5 ? ` and ${values.length - 5} more` : "";
  return `${shown.join(", ")}${more}`;
}

const OPERATORS = ["==", "!=", "<=", ">=", "<", ">"] as const;
const OPENING = "([{";
const CLOSING = ")]}";
const SET_OPERATOR = /^(and|or|unless)\b/i;

/**
 * Splits a query at its one top-level comparison (outside brackets and
 * quotes). Returns undefined when it has none, or when a set operator
 * (and, or, unless) joins comparisons at the top level.
 */
export function splitComparison(query: string): Comparison | undefined {
  let depth = 0;
  let quote: string | undefined;
  let found: { index: number; operator: string } | undefined;

  for (let index = 0; index < query.length; index++) {
    const character = query[index] ?? "";
    if (quote) {
      if (character === "\\") index++;
      else if (character === quote) quote = undefined;
      continue;
    }
    if (character === '"' || character === "'" || character === "`") {
      quote = character;
      continue;
    }
    if (OPENING.includes(character)) depth++;
    else if (CLOSING.includes(character)) depth--;
    if (depth !== 0) continue;

    const previous = query[index - 1] ?? " ";
    if (/[\s)]/.test(previous) && SET_OPERATOR.test(query.slice(index))) {
      return undefined;
    }
    const operator = OPERATORS.find((candidate) =>
      query.startsWith(candidate, index),
    );
    if (!operator) continue;
    found = { index, operator };
    index += operator.length - 1;
  }
  if (!found) return undefined;

  const left = query.slice(0, found.index).trim();
  let right = query.slice(found.index + found.operator.length).trim();
  const bool = /^bool\b/i.test(right);
  if (bool) right = right.slice(4).trim();
  if (left === "" || right === "") return undefined;
  return { left, operator: found.operator, bool, right };
}
