import { GantryError } from "../errors.js";

export type HttpRequest = {
  service: string;
  url: string;
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
};

export type HttpResponse = { status: number; body: unknown; headers: Headers };

/**
 * Sends a JSON request with a timeout. Network failures, timeouts, 429 and
 * 5xx answers become retryable errors; other answers are returned to the
 * caller, which knows what a 404 or 400 means for its API.
 */
export async function requestJson(request: HttpRequest): Promise<HttpResponse> {
  const { service, url } = request;
  let response: Response;
  try {
    response = await fetch(url, {
      method: request.method ?? "GET",
      headers: {
        accept: "application/json",
        ...(request.body === undefined
          ? {}
          : { "content-type": "application/json" }),
        ...request.headers,
      },
      body:
        request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(request.timeoutMs ?? 10_000),
    });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new GantryError(
      timedOut ? "timeout" : "upstream_unavailable",
      `${service} request ${request.method ?? "GET"} ${stripQuery(url)} ${timedOut ? "timed out" : "failed"}; it will be retried`,
      { cause: error },
    );
  }

  const text = await response.text();
  const body = parseBody(text);
  if (response.status === 429 || response.status >= 500) {
    throw new GantryError(
      "upstream_unavailable",
      `${service} answered ${response.status} to ${request.method ?? "GET"} ${stripQuery(url)}; it will be retried`,
      { retryAfterMs: parseRetryAfter(response.headers.get("retry-after")) },
    );
  }
  return { status: response.status, body, headers: response.headers };
}

function parseBody(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function stripQuery(url: string): string {
  const index = url.indexOf("?");
  return index === -1 ? url : url.slice(0, index);
}

/** Parses a Retry-After header given in seconds or as an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;

  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
