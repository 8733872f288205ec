import { createHmac } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { signatureMatches } from "./signature-match.js";

/** Slack's replay window for signed requests: five minutes. */
const MAX_AGE_SECONDS = 5 * 60;

export type SlackVerification =
  { ok: true } | { ok: false; status: 400 | 401; error: string };

/**
 * Verifies a Slack request's v0 signature over the exact body bytes, then
 * checks that the body is a shape Slack sends. Runs before Bolt so that a
 * rejected request gets a reason in its response, not an empty 400.
 */
export function verifySlackRequest(params: {
  signingSecret: string;
  body: Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  contentType: string | undefined;
  nowSeconds?: number;
}): SlackVerification {
  const { timestamp, signature } = params;
  if (!timestamp || !signature) {
    return {
      ok: false,
      status: 401,
      error: "missing X-Slack-Request-Timestamp or X-Slack-Signature header",
    };
  }

  const now = params.nowSeconds ?? Math.floor(Date.now() / 1000);
  const sent = Number(timestamp);
  if (!Number.isInteger(sent) || Math.abs(now - sent) > MAX_AGE_SECONDS) {
    return {
      ok: false,
      status: 401,
      error:
        "X-Slack-Request-Timestamp is invalid or more than 5 minutes from now",
    };
  }

  const expected = `v0=${createHmac("sha256", params.signingSecret).update(`v0:${timestamp}:`).update(params.body).digest("hex")}`;
  const matches = signatureMatches(expected, signature);
  if (!matches)
    return {
      ok: false,
      status: 401,
      error: "X-Slack-Signature does not match the request body",
    };

  const shape = checkBodyShape(
    params.body.toString("utf8"),
    params.contentType,
  );
  return shape === undefined
    ? { ok: true }
    : { ok: false, status: 400, error: shape };
}

function checkBodyShape(
  body: string,
  contentType: string | undefined,
): string | undefined {
  const type = (contentType ?? "").split(";")[0]?.trim();

  if (type === "application/json") {
    const parsed = parseJson(body);
    if (!isObject(parsed) || typeof parsed.type !== "string") {
      return "JSON body must be an object with a string field `type`";
    }
    return undefined;
  }

  if (type === "application/x-www-form-urlencoded") {
    const form = new URLSearchParams(body);
    const payload = form.get("payload");
    if (payload !== null) {
      const parsed = parseJson(payload);
      if (!isObject(parsed) || typeof parsed.type !== "string") {
        return "form field `payload` must be a JSON object with a string field `type`";
      }
      return undefined;
    }
    if (!form.get("command"))
      return "form body must carry `command` (slash command) or `payload` (interaction)";
    return undefined;
  }

  return `unsupported Content-Type ${JSON.stringify(contentType ?? "")}; Slack sends application/json or application/x-www-form-urlencoded`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Express middleware that responds 401 or 400 with a reason, or hands the raw body to Bolt. */
export function slackGuard(signingSecret: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verdict = verifySlackRequest({
      signingSecret,
      body,
      timestamp: req.header("x-slack-request-timestamp"),
      signature: req.header("x-slack-signature"),
      contentType: req.header("content-type"),
    });
    if (!verdict.ok) {
      res.status(verdict.status).json({ error: verdict.error });
      return;
    }

    // Bolt reads `rawBody` when a middleware has already consumed the stream.
    (req as Request & { rawBody?: Buffer }).rawBody = body;
    // Bolt parses a form only when Content-Type is the bare media type, so
    // drop parameters such as charset, which the shape check accepted.
    const mediaType = req.header("content-type")?.split(";")[0]?.trim();
    if (mediaType) req.headers["content-type"] = mediaType;
    next();
  };
}
