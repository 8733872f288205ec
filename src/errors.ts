/** Stable error codes; callers map them to outcomes, never by message text. */
export type ErrorCode =
  | "not_found"
  | "invalid_input"
  | "forbidden"
  | "conflict"
  | "upstream_unavailable"
  | "upstream_rejected"
  | "timeout";

/**
 * An error with a stable code and a message that states what failed, on
 * which id, and what to do. `retryable` marks whether another try may help.
 */
export class GantryError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Wait requested by the service in its Retry-After header, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      retryable?: boolean;
      cause?: unknown;
      retryAfterMs?: number;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "GantryError";
    this.code = code;
    this.retryable =
      options.retryable ??
      (code === "upstream_unavailable" || code === "timeout");
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isGantryError(
  error: unknown,
  code?: ErrorCode,
): error is GantryError {
  return (
    error instanceof GantryError && (code === undefined || error.code === code)
  );
}

/**
 * Returns the wait a rate-limited service asked for, from a GantryError or
 * from the Slack Web API's rate-limit error (whose retryAfter is seconds).
 */
export function retryAfterMs(error: unknown): number | undefined {
  if (error instanceof GantryError) return error.retryAfterMs;

  const slack = error as { code?: unknown; retryAfter?: unknown };
  if (
    slack.code === "slack_webapi_rate_limited_error" &&
    typeof slack.retryAfter === "number"
  ) {
    return slack.retryAfter * 1000;
  }
  return undefined;
}
