import { describe, expect, it } from "vitest";
import { readFixture, readJsonFixture } from "../../scripts/fixtures.js";
import { slackHeaders } from "../../scripts/signing.js";
import { verifySlackRequest } from "../../src/http/slack-guard.js";

const SECRET = "test-slack-signing-secret-0001";
const NOW = 1_715_679_000;
const FORM = "application/x-www-form-urlencoded";
const COMMAND = readFixture("slack/slash_command.promote.txt");

/** Verifies a body signed with SECRET at `signedAt`, checked at NOW. */
function verify(
  body: string,
  params: { contentType?: string; signedAt?: number; secret?: string } = {},
) {
  const headers = slackHeaders(
    body,
    params.secret ?? SECRET,
    params.signedAt ?? NOW,
  );
  return verifySlackRequest({
    signingSecret: SECRET,
    body: Buffer.from(body),
    timestamp: headers["x-slack-request-timestamp"],
    signature: headers["x-slack-signature"],
    contentType: params.contentType ?? FORM,
    nowSeconds: NOW,
  });
}

/** Reads the header lines of slash_command.promote.headers.txt. */
function fixtureHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of readFixture(
    "slack/slash_command.promote.headers.txt",
  ).split("\n")) {
    const match = /^([A-Za-z-]+): (.+)$/.exec(line);
    if (match?.[1] && match[2]) headers[match[1].toLowerCase()] = match[2];
  }
  return headers;
}

describe("verifySlackRequest", () => {
  it("accepts a slash command", () => {
    expect(verify(COMMAND)).toEqual({ ok: true });
  });

  it("accepts an interaction payload", () => {
    const body = `payload=${encodeURIComponent(JSON.stringify(readJsonFixture("slack/block_actions.approve.json")))}`;

    expect(verify(body)).toEqual({ ok: true });
  });

  it("accepts a JSON event", () => {
    const body = readFixture("slack/url_verification.json");

    expect(verify(body, { contentType: "application/json" })).toEqual({
      ok: true,
    });
  });

  it("rejects a wrong signature", () => {
    expect(verify(COMMAND, { secret: "another-signing-secret" })).toEqual({
      ok: false,
      status: 401,
      error: "X-Slack-Signature does not match the request body",
    });
  });

  it("rejects a changed body", () => {
    const headers = slackHeaders(COMMAND, SECRET, NOW);

    const verdict = verifySlackRequest({
      signingSecret: SECRET,
      body: Buffer.from(COMMAND.replace("staging", "production")),
      timestamp: headers["x-slack-request-timestamp"],
      signature: headers["x-slack-signature"],
      contentType: FORM,
      nowSeconds: NOW,
    });

    expect(verdict).toMatchObject({ ok: false, status: 401 });
  });

  it("rejects a signature of another length", () => {
    const verdict = verifySlackRequest({
      signingSecret: SECRET,
      body: Buffer.from(COMMAND),
      timestamp: String(NOW),
      signature: "v0=abc",
      contentType: FORM,
      nowSeconds: NOW,
    });

    expect(verdict).toMatchObject({ ok: false, status: 401 });
  });

  it.each([
    { case: "older than 5 minutes", signedAt: NOW - 301 },
    { case: "more than 5 minutes ahead", signedAt: NOW + 301 },
  ])("rejects a timestamp $case", ({ signedAt }) => {
    expect(verify(COMMAND, { signedAt })).toEqual({
      ok: false,
      status: 401,
      error:
        "X-Slack-Request-Timestamp is invalid or more than 5 minutes from now",
    });
  });

  it("accepts a timestamp 5 minutes old", () => {
    expect(verify(COMMAND, { signedAt: NOW - 300 })).toEqual({ ok: true });
  });

  it.each([
    { case: "timestamp", timestamp: undefined, signature: "v0=00" },
    { case: "signature", timestamp: String(NOW), signature: undefined },
    { case: "empty timestamp", timestamp: "", signature: "v0=00" },
  ])("rejects a missing $case", ({ timestamp, signature }) => {
    const verdict = verifySlackRequest({
      signingSecret: SECRET,
      body: Buffer.from(COMMAND),
      timestamp,
      signature,
      contentType: FORM,
      nowSeconds: NOW,
    });

    expect(verdict).toEqual({
      ok: false,
      status: 401,
      error: "missing X-Slack-Request-Timestamp or X-Slack-Signature header",
    });
  });

  it("rejects a timestamp that is not a number", () => {
    const verdict = verifySlackRequest({
      signingSecret: SECRET,
      body: Buffer.from(COMMAND),
      timestamp: "yesterday",
      signature: "v0=00",
      contentType: FORM,
      nowSeconds: NOW,
    });

    expect(verdict).toMatchObject({ ok: false, status: 401 });
  });

  it("verifies the fixture's signature at its timestamp", () => {
    const headers = fixtureHeaders();
    const request = {
      signingSecret: "0000placeholder-signing-secret0000",
      body: Buffer.from(COMMAND),
      timestamp: headers["x-slack-request-timestamp"],
      signature: headers["x-slack-signature"],
      contentType: headers["content-type"],
    };

    const atTimestamp = verifySlackRequest({
      ...request,
      nowSeconds: Number(headers["x-slack-request-timestamp"]),
    });
    const today = verifySlackRequest(request);

    expect(headers["x-slack-request-timestamp"]).toBe("1715679000");
    expect(atTimestamp).toEqual({ ok: true });
    expect(today).toMatchObject({ ok: false, status: 401 });
  });

  it.each([
    {
      case: "an interaction payload that is not JSON",
      body: "payload=%7Bnot-json",
      contentType: FORM,
      error:
        "form field `payload` must be a JSON object with a string field `type`",
    },
    {
      case: "an interaction payload without type",
      body: `payload=${encodeURIComponent('{"user":{"id":"U0000001"}}')}`,
      contentType: FORM,
      error:
        "form field `payload` must be a JSON object with a string field `type`",
    },
    {
      case: "a form without command or payload",
      body: "token=x&team_id=T0000001",
      contentType: FORM,
      error:
        "form body must carry `command` (slash command) or `payload` (interaction)",
    },
    {
      case: "JSON without type",
      body: '{"challenge":"abc"}',
      contentType: "application/json",
      error: "JSON body must be an object with a string field `type`",
    },
    {
      case: "a JSON array",
      body: '[{"type":"url_verification"}]',
      contentType: "application/json",
      error: "JSON body must be an object with a string field `type`",
    },
    {
      case: "a body that is not JSON",
      body: "type=url_verification",
      contentType: "application/json; charset=utf-8",
      error: "JSON body must be an object with a string field `type`",
    },
    {
      case: "a wrong content type",
      body: COMMAND,
      contentType: "text/plain",
      error:
        'unsupported Content-Type "text/plain"; Slack sends application/json or application/x-www-form-urlencoded',
    },
  ])("answers 400 to $case", ({ body, contentType, error }) => {
    expect(verify(body, { contentType })).toEqual({
      ok: false,
      status: 400,
      error,
    });
  });
});
