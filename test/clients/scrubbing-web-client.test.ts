import nock from "nock";
import { describe, expect, it } from "vitest";
import { ScrubbingWebClient } from "../../src/clients/scrubbing-web-client.js";

const SECRET = "alerts-token-0123456789abcdef";

describe("ScrubbingWebClient", () => {
  it("removes secrets from posted messages", async () => {
    const bodies: string[] = [];
    nock("https://slack.com")
      .post("/api/chat.postMessage")
      .reply(200, (_uri, body) => {
        bodies.push(body as string);
        return { ok: true, channel: "C0ALERTS", ts: "1.1" };
      });
    const client = new ScrubbingWebClient("xoxb-test-bot-token-0001", {
      secrets: [SECRET],
      retryConfig: { retries: 0 },
    });

    await client.chat.postMessage({
      channel: "C0ALERTS",
      text: `Jira said: field customfield_10010 is required (token ${SECRET})`,
      blocks: [
        { type: "section", text: { type: "mrkdwn", text: `echo ${SECRET}` } },
      ],
    });

    const form = new URLSearchParams(bodies[0]);
    expect(form.get("text")).toBe(
      "Jira said: field customfield_10010 is required (token [redacted])",
    );
    expect(form.get("blocks")).toBe(
      '[{"type":"section","text":{"type":"mrkdwn","text":"echo [redacted]"}}]',
    );
    expect(bodies[0]).not.toContain(SECRET);
  });
});
