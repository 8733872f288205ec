import { createHash, timingSafeEqual } from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/**
 * Express middleware that lets a request through only with
 * `Authorization: Bearer <token>`. It responds 503 while the variable that
 * contains the token is not set, so the endpoint is never open by accident,
 * and 401 to a missing or wrong token.
 */
export function bearerGuard(params: {
  token: string | undefined;
  /** The name of the environment variable that contains the token, for error messages. */
  variable: string;
  realm: string;
}) {
  const expected = params.token ? digest(params.token) : undefined;
  const { variable, realm } = params;

  return (req: Request, res: Response, next: NextFunction): void => {
    if (!expected) {
      res.status(503).json({
        error: `this endpoint is off because ${variable} is not set; set ${variable} and send it as a bearer token`,
      });
      return;
    }

    const match = /^Bearer\s+(\S+)\s*$/i.exec(
      req.header("authorization") ?? "",
    );
    if (!match?.[1]) {
      res.setHeader("www-authenticate", `Bearer realm="${realm}"`);
      res.status(401).json({
        error: `missing bearer token; send Authorization: Bearer <${variable}>`,
      });
      return;
    }
    // Comparing digests keeps the comparison constant-time whatever the length.
    if (!timingSafeEqual(digest(match[1]), expected)) {
      res.setHeader(
        "www-authenticate",
        `Bearer realm="${realm}", error="invalid_token"`,
      );
      res.status(401).json({ error: `invalid bearer token; send ${variable}` });
      return;
    }
    next();
  };
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value).digest();
}
