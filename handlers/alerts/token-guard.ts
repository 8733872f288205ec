import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * Builds Express middleware that lets a request through only with
 * `Authorization: Bearer <ALERTS_TOKEN>`, before the body is read. It
 * responds 503 while no token is configured, so the endpoints are never
 * open by accident, and 401 to a missing or wrong token.
 */
export function alertsTokenGuard(token: string | undefined) {
  const expected = token ? digest(token) : undefined;

  return (req: Request, res: Response, next: NextFunction): void => {
    if (!expected) {
      res.status(503).json({
        error:
          "alert endpoints are off because ALERTS_TOKEN is not set; set ALERTS_TOKEN and send it as a bearer token",
      });
      return;
    }

    const match = /^Bearer\s+(\S+)\s*$/i.exec(
      req.header("authorization") ?? "",
    );
    if (!match?.[1]) {
      res.setHeader("www-authenticate", 'Bearer realm="gantry-alerts"');
      res.status(401).json({
        error:
          "missing bearer token; send Authorization: Bearer <ALERTS_TOKEN>",
      });
      return;
    }
    // Comparing digests keeps the comparison constant-time whatever the length.
    if (!timingSafeEqual(digest(match[1]), expected)) {
      res.setHeader(
        "www-authenticate",
        'Bearer realm="gantry-alerts", error="invalid_token"',
      );
      res
        .status(401)
        .json({ error: "invalid bearer token; send ALERTS_TOKEN" });
      return;
    }
    next();
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
