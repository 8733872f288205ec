import { describe, expect, it } from "vitest";
import {
  evaluateHealth,
  splitComparison,
  type HealthResult,
} from "../../src/canary/health-check.js";
import {
  nockQuery,
  PROMETHEUS_URL,
  vectorReply,
} from "../helpers/prometheus-api.js";

const RATIO =
  'sum(rate(http_requests_total{model="churn",code=~"5.."}[5m])) / sum(rate(http_requests_total{model="churn"}[5m]))';
const QUERY = `${RATIO} < 0.02`;

type Reply = { query: string; status: number; body: unknown };

const EMPTY = vectorReply();

describe("evaluateHealth", () => {
  it.each<[string, string, Reply[], HealthResult]>([
    [
      "a vector with samples passes",
      QUERY,
      [{ query: QUERY, status: 200, body: vectorReply("0.004") }],
      { verdict: "pass", values: [0.004], detail: "healthy: 0.004" },
    ],
    [
      "an empty vector whose operand has samples fails",
      QUERY,
      [
        { query: QUERY, status: 200, body: EMPTY },
        { query: RATIO, status: 200, body: vectorReply("0.0712") },
      ],
      {
        verdict: "fail",
        values: [0.0712],
        detail: "unhealthy: 0.0712, not < 0.02",
      },
    ],
    [
      "an empty vector with an empty operand is no data",
      QUERY,
      [
        { query: QUERY, status: 200, body: EMPTY },
        { query: RATIO, status: 200, body: EMPTY },
      ],
      {
        verdict: "no_data",
        values: [],
        detail: "no data: the query returned no samples",
      },
    ],
    [
      "an empty query without a comparison is no data",
      RATIO,
      [{ query: RATIO, status: 200, body: EMPTY }],
      {
        verdict: "no_data",
        values: [],
        detail:
          "no data: the query returned no samples, and it is not one comparison that Gantry can split to tell a failure from missing data",
      },
    ],
    [
      "a bool comparison of 1 passes",
      `${RATIO} < bool 0.02`,
      [
        {
          query: `${RATIO} < bool 0.02`,
          status: 200,
          body: vectorReply("1", "1"),
        },
      ],
      {
        verdict: "pass",
        values: [1, 1],
        detail: "healthy: 2 of 2 series returned 1",
      },
    ],
    [
      "a bool comparison of 0 fails",
      `${RATIO} < bool 0.02`,
      [
        {
          query: `${RATIO} < bool 0.02`,
          status: 200,
          body: vectorReply("1", "0"),
        },
      ],
      {
        verdict: "fail",
        values: [1, 0],
        detail: "unhealthy: 1 of 2 series returned 0",
      },
    ],
    [
      "a scalar of 0 fails",
      "scalar(up) > bool 0",
      [
        {
          query: "scalar(up) > bool 0",
          status: 200,
          body: {
            status: "success",
            data: { resultType: "scalar", result: [1_715_680_000, "0"] },
          },
        },
      ],
      { verdict: "fail", values: [0], detail: "unhealthy: 0" },
    ],
    [
      "a scalar of NaN is no data",
      "scalar(up) > bool 0",
      [
        {
          query: "scalar(up) > bool 0",
          status: 200,
          body: {
            status: "success",
            data: { resultType: "scalar", result: [1_715_680_000, "NaN"] },
          },
        },
      ],
      {
        verdict: "no_data",
        values: [],
        detail: "no data: the query returned NaN",
      },
    ],
    [
      "a range vector is no data",
      "up[5m]",
      [
        {
          query: "up[5m]",
          status: 200,
          body: {
            status: "success",
            data: { resultType: "matrix", result: [] },
          },
        },
      ],
      {
        verdict: "no_data",
        values: [],
        detail:
          "no data: the query returned a matrix; write it as an instant vector or a scalar",
      },
    ],
    [
      "a rejected query is no data",
      QUERY,
      [
        {
          query: QUERY,
          status: 400,
          body: {
            status: "error",
            errorType: "bad_data",
            error: "parse error at char 3",
          },
        },
      ],
      {
        verdict: "no_data",
        values: [],
        detail:
          "no data: Prometheus rejected the query (400, bad_data): parse error at char 3",
      },
    ],
    [
      "a 503 is no data",
      QUERY,
      [{ query: QUERY, status: 503, body: "unavailable" }],
      {
        verdict: "no_data",
        values: [],
        detail: `no data: Prometheus answered 503 to GET ${PROMETHEUS_URL}/api/v1/query`,
      },
    ],
    [
      "a body of another shape is no data",
      QUERY,
      [{ query: QUERY, status: 200, body: { data: [] } }],
      {
        verdict: "no_data",
        values: [],
        detail:
          "no data: Prometheus answered 200 with a body that is not a query result",
      },
    ],
  ])("%s", async (_name, query, replies, expected) => {
    for (const reply of replies)
      nockQuery(reply.query, reply.status, reply.body);

    const result = await evaluateHealth({
      prometheusUrl: PROMETHEUS_URL,
      query,
    });

    expect(result).toEqual(expected);
  });

  it("is no data without PROMETHEUS_URL", async () => {
    const result = await evaluateHealth({
      prometheusUrl: undefined,
      query: QUERY,
    });

    expect(result).toEqual({
      verdict: "no_data",
      values: [],
      detail:
        "no data: PROMETHEUS_URL is not set, so the health query cannot run",
    });
  });
});

describe("splitComparison", () => {
  it.each([
    [QUERY, { left: RATIO, operator: "<", bool: false, right: "0.02" }],
    [
      "rate(errors[5m]) >= bool 1e-3",
      { left: "rate(errors[5m])", operator: ">=", bool: true, right: "1e-3" },
    ],
    [
      'up{job!="a",env=~"p.*"} == 1',
      {
        left: 'up{job!="a",env=~"p.*"}',
        operator: "==",
        bool: false,
        right: "1",
      },
    ],
    [
      "max(latency) by (model) != 0",
      {
        left: "max(latency) by (model)",
        operator: "!=",
        bool: false,
        right: "0",
      },
    ],
  ])("splits %s", (query, expected) => {
    expect(splitComparison(query)).toEqual(expected);
  });

  it.each([
    ["no comparison", RATIO],
    ["a set operator", "errors < 0.02 and latency < 2"],
    ["a comparison only inside brackets", 'count(up{code="<5"} > 0)'],
    ["a missing operand", "< 0.02"],
  ])("leaves a query with %s whole", (_name, query) => {
    expect(splitComparison(query)).toBeUndefined();
  });
});
