import { createHmac } from "node:crypto";
import type { NextFunction, Request, Response } from "express";
import { signatureMatches } from "./signature-match.js";

/**
 * Express middleware that responds with 401 to a webhook whose
 * X-Hub-Signature-256 is missing or does not match the body, and hands the
 * raw body on to Probot's middleware. The middleware of @octokit/webhooks 14
 * would respond with 400 to both.
 */
export function githubGuard(webhookSecret: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signature = req.header("x-hub-signature-256");
    if (!signature) {
      res.status(401).json({
        error:
          "missing X-Hub-Signature-256 header; sign the body with the webhook secret",
      });
      return;
    }

    const expected = `sha256=${createHmac("sha256", webhookSecret).update(body).digest("hex")}`;
    const matches = signatureMatches(expected, signature);
    if (!matches) {
      res.status(401).json({
        error: "X-Hub-Signature-256 does not match the request body",
      });
      return;
    }

    const shape = bodyShapeProblem(body);
    if (shape) {
      res.status(400).json({ error: shape });
      return;
    }

    // Octokit's middleware reads `rawBody` when the stream is already consumed.
    (req as Request & { rawBody?: Buffer }).rawBody = body;
    next();
  };
}

/** Returns what is wrong with a signed body that is not a JSON object, as every GitHub event is. */
function bodyShapeProblem(body: Buffer): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return "body is not valid JSON; GitHub sends each event as a JSON object";
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return "body must be a JSON object; GitHub sends each event as one";
  }
  return undefined;
}
