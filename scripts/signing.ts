import { createHmac } from "node:crypto";

/** Signs a Slack request body the way Slack does (v0, HMAC-SHA256 over "v0:ts:body"). */
export function slackHeaders(
  body: string,
  signingSecret: string,
  timestamp = Math.floor(Date.now() / 1000),
): Record<string, string> {
  const signature = createHmac("sha256", signingSecret)
    .update(`v0:${timestamp}:${body}`)
    .digest("hex");
  return {
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": `v0=${signature}`,
  };
}

/** Signs a GitHub webhook body the way GitHub does (X-Hub-Signature-256). */
export function githubSignature(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}
