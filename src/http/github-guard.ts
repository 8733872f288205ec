import { createHmac, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

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
    const matches =
      expected.length === signature.length &&
      timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
    if (!matches) {
      res.status(401).json({
        error: "X-Hub-Signature-256 does not match the request body",
      });
      return;
    }

    // Octokit's middleware reads `rawBody` when the stream is already consumed.
    (req as Request & { rawBody?: Buffer }).rawBody = body;
    next();
  };
}
