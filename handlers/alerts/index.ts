import express, {
  Router,
  type NextFunction,
  type Request,
  type Response,
} from "express";
import { parseAlertmanagerWebhook } from "../../src/alerts/alertmanager-webhook.js";
import { parseGrafanaWebhook } from "../../src/alerts/grafana-webhook.js";
import type { Services } from "../../src/services.js";
import { receiveAlerts } from "./receive-alerts.js";
import { alertsTokenGuard } from "./token-guard.js";

export const ALERTMANAGER_PATH = "/alerts/alertmanager";
export const GRAFANA_PATH = "/alerts/grafana";

/** Alertmanager sends at most a few hundred alerts in one group; this leaves room. */
const BODY_LIMIT = "5mb";

/**
 * Builds the router of the alert webhooks. Each route checks the bearer
 * token first, then parses its own JSON body (the Slack and GitHub routes
 * need raw bodies), then validates and queues.
 */
export function alertsRouter(services: Services): Router {
  const router = Router();
  const guard = alertsTokenGuard(services.settings.alertsToken);
  // Senders differ in Content-Type; every body on these routes is JSON.
  const json = express.json({ type: () => true, limit: BODY_LIMIT });

  router.post(
    ALERTMANAGER_PATH,
    guard,
    json,
    receiveAlerts(services, "alertmanager", parseAlertmanagerWebhook),
  );
  router.post(
    GRAFANA_PATH,
    guard,
    json,
    receiveAlerts(services, "grafana", parseGrafanaWebhook),
  );
  router.use(bodyErrors(services));
  return router;
}

/** Responds to body-parser's errors (invalid JSON, too large) with their status and a reason. */
function bodyErrors(services: Services) {
  return (
    error: { status?: number; type?: string; message?: string },
    req: Request,
    res: Response,
    next: NextFunction,
  ): void => {
    if (typeof error.status !== "number" || error.status >= 500) {
      next(error);
      return;
    }
    const reason =
      error.type === "entity.parse.failed"
        ? `body is not valid JSON: ${error.message ?? "parse error"}`
        : error.type === "entity.too.large"
          ? `body is larger than ${BODY_LIMIT}`
          : (error.message ?? "invalid body");
    services.log.info(
      { path: req.path, status: error.status, reason },
      "alert webhook body rejected",
    );
    res.status(error.status).json({ error: reason });
  };
}
