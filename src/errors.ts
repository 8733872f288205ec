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
 * An error with a stable code and a sentence that says what failed, on which
 * id, and what to do. `retryable` tells jobs whether another try may help.
 */
export class GantryError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;

  constructor(
    code: ErrorCode,
    message: string,
    options: { retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "GantryError";
    this.code = code;
    this.retryable =
      options.retryable ??
      (code === "upstream_unavailable" || code === "timeout");
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
