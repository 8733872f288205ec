import { describe, expect, it } from "vitest";
import { githubSignature, slackHeaders } from "../../scripts/signing.js";
import { useGantryServer } from "../helpers/gantry-server.js";
import { SIGNING_SECRET, WEBHOOK_SECRET } from "../helpers/settings.js";

const { server } = useGantryServer();

/** Replaces the last character of a signature with a two-byte one. */
function withNonAscii(signature: string): string {
  return `${signature.slice(0, -1)}é`;
}

describe("request guards", () => {
  it("rejects a non-ASCII Slack signature with 401", async () => {
    const body = "command=%2Fpromote&text=churn+42+dev";
    const headers = slackHeaders(body, SIGNING_SECRET);
    headers["x-slack-signature"] = withNonAscii(
      headers["x-slack-signature"] ?? "",
    );

    const response = await fetch(`${server().url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...headers,
      },
      body,
    });

    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: "X-Slack-Signature does not match the request body",
    });
  });

  it("rejects a non-ASCII GitHub signature with 401", async () => {
    const response = await fetch(`${server().url}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "d-hardening",
        "x-hub-signature-256": withNonAscii(`sha256=${"0".repeat(64)}`),
      },
      body: "{}",
    });

    expect(response.status).toBe(401);
  });

  it("answers an oversized body with JSON, not a stack", async () => {
    const body = `command=%2Fpromote&text=${"a".repeat(3 * 1024 * 1024)}`;

    const response = await fetch(`${server().url}/slack/events`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...slackHeaders(body, SIGNING_SECRET),
      },
      body,
    });
    const text = await response.text();

    expect(response.status).toBe(413);
    expect(JSON.parse(text)).toEqual({ error: "request entity too large" });
    expect(text).not.toMatch(/\n\s+at /);
  });

  it.each(["[]", "null", "42"])(
    "rejects the signed body %s with 400",
    async (body) => {
      const response = await fetch(`${server().url}/api/github/webhooks`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": "deployment_status",
          "x-github-delivery": `d-shape-${body}`,
          "x-hub-signature-256": githubSignature(body, WEBHOOK_SECRET),
        },
        body,
      });

      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({
        error: "body must be a JSON object; GitHub sends each event as one",
      });
    },
  );
});
