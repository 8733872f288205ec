import type { Promotion } from "../src/promotion.js";
import { escapeWiki } from "./jira-markup.js";

/** Jira's maximum summary length. */
const SUMMARY_MAX = 255;

/**
 * Builds the incident ticket of an automatic rollback (or of a canary that
 * failed with nothing to roll back to): what was promoted, why Gantry
 * stopped it, and that the environment is held now.
 */
export function rollbackIncident(params: {
  promotion: Promotion;
  rollback: Promotion | undefined;
}): { summary: string; description: string } {
  const { promotion, rollback } = params;
  const what = `${promotion.modelName} ${promotion.version} in ${promotion.environment}`;
  const summary = rollback
    ? `Automatic rollback of ${what} to version ${rollback.version}`
    : `Canary of ${what} failed with no earlier version to roll back to`;

  const rows: [string, string][] = [
    ["Model", `${promotion.modelName} (${promotion.model})`],
    ["Environment", promotion.environment],
    ["Version rolled back", promotion.version],
    ["Version deployed instead", rollback?.version ?? "none"],
    ["Promotion", promotion.id],
    ["Rollback", rollback?.id ?? "none"],
    ["Reason", promotion.reason ?? "not recorded"],
  ];
  const table = rows
    .map(([name, value]) => `||${name}|${escapeWiki(value)}|`)
    .join("\n");
  const next = `_Opened by Gantry. ${escapeWiki(promotion.environment)} is held: Gantry promotes nothing into it automatically until someone promotes a version there by hand._`;
  return {
    summary: Array.from(summary).slice(0, SUMMARY_MAX).join(""),
    description: [`h3. ${escapeWiki(summary)}`, table, next].join("\n\n"),
  };
}
