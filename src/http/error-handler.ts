import type { NextFunction, Request, Response } from "express";
import type { Logger } from "../logger.js";

/**
 * Responds to any error that reached Express with JSON, without a stack trace:
 * a client error (a body over the limit, a body that cannot be read) with
 * its status and message, anything else as a 500. Each is logged once.
 */
export function errorHandler(log: Logger) {
  return (
    error: unknown,
    req: Request,
    res: Response,
    next: NextFunction,
  ): void => {
    if (res.headersSent) {
      next(error);
      return;
    }

    const status = statusOf(error);
    const fields = { err: error, method: req.method, path: req.path, status };
    if (status >= 500) log.error(fields, "request failed");
    else log.warn(fields, "request rejected");

    const message =
      status >= 500
        ? "internal error; the request was not processed"
        : error instanceof Error
          ? error.message
          : "invalid request";
    res.status(status).json({ error: message });
  };
}

function statusOf(error: unknown): number {
  const candidate = error as { status?: unknown; statusCode?: unknown };
  const status = candidate.status ?? candidate.statusCode;
  return typeof status === "number" && status >= 400 && status < 600
    ? status
    : 500;
}
