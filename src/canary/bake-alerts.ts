import {
  firingCriticalAlerts,
  type CriticalAlert,
} from "../alerts/critical-alerts.js";
import type { Promotion } from "../promotion.js";
import type { Services } from "../services.js";

/**
 * Returns the critical alerts firing on a promotion's model that concern its
 * environment: those labelled with it, and those with no environment label.
 */
export async function criticalAlertsFor(
  services: Services,
  promotion: Promotion,
): Promise<CriticalAlert[]> {
  const alerts = await firingCriticalAlerts(services.redis, promotion.model);
  return alerts.filter(
    (alert) =>
      alert.environment === undefined ||
      alert.environment === promotion.environment,
  );
}
