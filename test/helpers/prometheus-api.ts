import nock from "nock";

export const PROMETHEUS_URL = "http://prometheus.test:9090";

/** A sample of an instant vector, as Prometheus's query API returns it. */
export function sample(value: string, metric: Record<string, string> = {}) {
  return { metric, value: [1_715_680_000.123, value] };
}

/** An instant vector reply with these sample values. */
export function vectorReply(...values: string[]) {
  return {
    status: "success",
    data: {
      resultType: "vector",
      result: values.map((value) => sample(value, { model: "churn" })),
    },
  };
}

/** Fakes one GET /api/v1/query for exactly this query. */
export function nockQuery(query: string, status: number, body: unknown) {
  return nock(PROMETHEUS_URL)
    .get("/api/v1/query")
    .query({ query })
    .reply(status, body as nock.Body);
}
