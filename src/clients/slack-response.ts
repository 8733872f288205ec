import { requestJson } from "./http.js";
import { GantryError } from "../errors.js";

export type EphemeralReply = { text: string; blocks?: unknown[] };

/**
 * Posts an ephemeral reply to a slash command or interaction through its
 * response_url, which Slack accepts for 30 minutes and up to five times.
 */
export async function replyEphemeral(
  responseUrl: string,
  reply: EphemeralReply,
): Promise<void> {
  const response = await requestJson({
    service: "Slack response_url",
    url: responseUrl,
    method: "POST",
    body: { response_type: "ephemeral", replace_original: false, ...reply },
  });
  if (response.status >= 300) {
    throw new GantryError(
      "upstream_rejected",
      `Slack rejected the ephemeral reply with ${response.status}; the response_url may have expired`,
    );
  }
}
