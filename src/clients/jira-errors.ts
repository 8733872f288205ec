import { z } from "zod";
import { GantryError } from "../errors.js";
import type { JiraFailure } from "./jira-transport.js";

/** Jira's error body: general messages, and messages per field id. */
const jiraErrorBodySchema = z.object({
  errorMessages: z.array(z.string()).default([]),
  errors: z.record(z.string(), z.string()).default({}),
});

/**
 * A Jira call that failed. 429, 5xx and calls that got no response are
 * retryable and carry Jira's Retry-After. Any other 4xx is not, because
 * sending the same request again gets the same response.
 */
export class JiraRequestError extends GantryError {
  readonly status: number | undefined;
  readonly errorMessages: string[];
  /** Jira's message per field id, for example a required custom field. */
  readonly fieldErrors: Record<string, string>;

  constructor(operation: string, failure: JiraFailure) {
    const parsed = jiraErrorBodySchema.safeParse(failure.body);
    const details = parsed.success
      ? parsed.data
      : { errorMessages: [], errors: {} };
    const retryable =
      failure.status === undefined ||
      failure.status === 429 ||
      failure.status >= 500;

    super(
      failure.status === 404
        ? "not_found"
        : retryable
          ? "upstream_unavailable"
          : "upstream_rejected",
      describe(operation, failure, details),
      { retryable, retryAfterMs: failure.retryAfterMs },
    );
    this.name = "JiraRequestError";
    this.status = failure.status;
    this.errorMessages = details.errorMessages;
    this.fieldErrors = details.errors;
  }
}

function describe(
  operation: string,
  failure: JiraFailure,
  details: { errorMessages: string[]; errors: Record<string, string> },
): string {
  const reasons = [
    ...details.errorMessages,
    ...Object.entries(details.errors).map(
      ([field, message]) => `${field}: ${message}`,
    ),
  ];
  const because = reasons.length > 0 ? ` (${reasons.join("; ")})` : "";

  if (failure.status === undefined)
    return `Jira ${operation} ${failure.reason}; it will be retried`;
  if (failure.status === 429 || failure.status >= 500)
    return `Jira answered ${failure.status} to ${operation}${because}; it will be retried`;
  if (failure.status === 401 || failure.status === 403)
    return `Jira rejected ${operation} with ${failure.status}${because}; check JIRA_EMAIL, JIRA_API_TOKEN and the account's project permissions`;
  return `Jira rejected ${operation} with ${failure.status}${because}; fix the Jira project's required fields or the jira section of .github/gantry.yml`;
}
