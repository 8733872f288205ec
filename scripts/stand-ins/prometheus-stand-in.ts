import { StandInServer, type Reply } from "./stand-in-server.js";

/** The stand-in's reply to a health query: healthy, unhealthy, no samples, or an outage (503). */
export type HealthAnswer = "pass" | "fail" | "no_data" | "error";

/** A query that ends in a comparison with a number, as health queries do. */
const COMPARISON = /(<=|>=|==|!=|<|>)\s*(bool\s+)?-?[\d.]+(e-?\d+)?\s*$/i;

/**
 * Plays Prometheus's instant query API (`GET /api/v1/query`) for health
 * queries written as one comparison, such as `error_ratio < 0.02`. A test
 * sets `answer`; the comparison's left operand alone returns the sample
 * value so Gantry can tell a failure from missing data, as Prometheus does.
 */
export class PrometheusStandIn extends StandInServer {
  answer: HealthAnswer = "pass";
  /** The sample value of a healthy model, and of an unhealthy one. */
  healthyValue = 0.004;
  unhealthyValue = 0.07;

  constructor() {
    super("Prometheus", [
      {
        name: "query",
        method: "GET",
        pattern: /^\/api\/v1\/query$/,
        handle: (request) => this.evaluate(request.query.get("query") ?? ""),
      },
    ]);
  }

  private evaluate(query: string): Reply {
    if (this.answer === "error") {
      return {
        status: 503,
        body: {
          status: "error",
          errorType: "unavailable",
          error: "stand-in outage",
        },
      };
    }
    const comparison = COMPARISON.test(query);
    const value =
      this.answer === "pass"
        ? this.healthyValue
        : this.answer === "fail"
          ? this.unhealthyValue
          : undefined;
    const filtered = comparison && this.answer === "fail";
    const result =
      value === undefined || filtered
        ? []
        : [
            {
              metric: { model: "churn" },
              value: [Date.now() / 1000, String(value)],
            },
          ];
    return {
      status: 200,
      body: { status: "success", data: { resultType: "vector", result } },
    };
  }
}
