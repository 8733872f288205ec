import { z } from "zod";
import { parseRetryAfter } from "./http.js";

/** One failed Jira call: its status, Retry-After wait and response body. */
export type JiraFailure = {
  jiraFailure: true;
  /** HTTP status, or undefined when no response came (network error or timeout). */
  status: number | undefined;
  retryAfterMs: number | undefined;
  body: unknown;
  reason: string;
};

/**
 * The transport's rejection. jira-client 8 rethrows whatever its request
 * function rejects with as `new Error(JSON.stringify(reason))`, so `toJSON`
 * carries the failure record through that message.
 */
class JiraTransportError extends Error {
  constructor(readonly failure: JiraFailure) {
    super(`Jira request ${failure.reason}`);
  }

  toJSON(): JiraFailure {
    return this.failure;
  }
}

/** The request options that jira-client 8 passes to its request function. */
type JiraRequestOptions = {
  method?: string;
  uri: string;
  body?: unknown;
  qs?: Record<string, string | number | boolean>;
  auth?: { user?: string; pass?: string };
};

/**
 * Builds the request function that jira-client calls instead of its own
 * (postman-request), so that every call goes through `fetch` with a timeout
 * and a failure keeps its status and Retry-After header.
 */
export function jiraTransport(timeoutMs: number) {
  return async (options: JiraRequestOptions): Promise<unknown> => {
    const url = new URL(options.uri);
    for (const [name, value] of Object.entries(options.qs ?? {}))
      url.searchParams.set(name, String(value));

    let response: Response;
    try {
      response = await fetch(url, {
        method: options.method ?? "GET",
        headers: requestHeaders(options),
        body:
          options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === "TimeoutError";
      throw failure(
        undefined,
        undefined,
        undefined,
        timedOut ? "timed out" : "failed",
      );
    }

    const body = parseBody(await response.text());
    if (response.status >= 400) {
      const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
      throw failure(
        response.status,
        retryAfter,
        body,
        `answered ${response.status}`,
      );
    }
    return body;
  };
}

function requestHeaders(options: JiraRequestOptions): Record<string, string> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.body !== undefined) headers["content-type"] = "application/json";

  const { user, pass } = options.auth ?? {};
  if (user && pass) {
    const credentials = Buffer.from(`${user}:${pass}`).toString("base64");
    headers.authorization = `Basic ${credentials}`;
  }
  return headers;
}

function failure(
  status: number | undefined,
  retryAfterMs: number | undefined,
  body: unknown,
  reason: string,
): JiraTransportError {
  return new JiraTransportError({
    jiraFailure: true,
    status,
    retryAfterMs,
    body,
    reason,
  });
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const failureSchema = z.object({
  jiraFailure: z.literal(true),
  status: z.number().int().optional(),
  retryAfterMs: z.number().optional(),
  body: z.unknown(),
  reason: z.string(),
});

/** Recovers the transport's failure record from the error jira-client threw, if it is one. */
export function readJiraFailure(error: unknown): JiraFailure | undefined {
  if (!(error instanceof Error)) return undefined;

  let parsed: unknown;
  try {
    parsed = JSON.parse(error.message);
  } catch {
    return undefined;
  }
  const result = failureSchema.safeParse(parsed);
  if (!result.success) return undefined;
  return {
    ...result.data,
    status: result.data.status,
    retryAfterMs: result.data.retryAfterMs,
  };
}
