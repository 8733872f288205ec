import { z } from "zod";
import { requestJson } from "../clients/http.js";
import { isGantryError } from "../errors.js";

/** One sample of an instant query: its timestamp in seconds and its value as text. */
const sampleSchema = z.tuple([z.number(), z.string()]);

const successSchema = z.object({
  status: z.literal("success"),
  data: z.discriminatedUnion("resultType", [
    z.object({
      resultType: z.literal("vector"),
      result: z.array(
        z.object({
          metric: z.record(z.string(), z.string()),
          value: sampleSchema,
        }),
      ),
    }),
    z.object({ resultType: z.literal("scalar"), result: sampleSchema }),
    z.object({ resultType: z.literal("matrix"), result: z.array(z.unknown()) }),
    z.object({ resultType: z.literal("string"), result: z.unknown() }),
  ]),
});

const errorSchema = z.object({
  status: z.literal("error"),
  errorType: z.string().optional(),
  error: z.string().optional(),
});

/** The result of an instant query, as the HTTP API's `data` field carries it. */
export type QueryData = z.infer<typeof successSchema>["data"];

export type QueryOutcome =
  { ok: true; data: QueryData } | { ok: false; error: string };

/**
 * Runs an instant query through Prometheus's HTTP API
 * (`GET /api/v1/query`) and validates the reply. Every failure (network,
 * timeout, 5xx, a rejected query, a reply of another shape) comes back as
 * an error sentence instead of being thrown, because a health check counts
 * it as missing data.
 */
export async function instantQuery(
  baseUrl: string,
  query: string,
): Promise<QueryOutcome> {
  const url = `${baseUrl}/api/v1/query?${new URLSearchParams({ query }).toString()}`;
  let body: unknown;
  let status: number;
  try {
    ({ body, status } = await requestJson({
      service: "Prometheus",
      url,
      timeoutMs: 5_000,
    }));
  } catch (error) {
    if (!isGantryError(error)) throw error;
    return {
      ok: false,
      error: error.message.replace(/; it will be retried$/, ""),
    };
  }

  const success = successSchema.safeParse(body);
  if (success.success) return { ok: true, data: success.data.data };

  const failure = errorSchema.safeParse(body);
  if (failure.success) {
    return {
      ok: false,
      error: `Prometheus rejected the query (${status}, ${failure.data.errorType ?? "error"}): ${failure.data.error ?? "no message"}`,
    };
  }
  return {
    ok: false,
    error: `Prometheus answered ${status} with a body that is not a query result`,
  };
}
