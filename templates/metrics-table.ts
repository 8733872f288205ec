import type { Promotion } from "../src/promotion.js";
import { escapeMrkdwn, truncate } from "./limits.js";

/** At most this many metric rows, so the table fits one section. */
const MAX_ROWS = 25;
const NAME_WIDTH = 24;

/**
 * Renders the version's metrics beside those of the version now live in the
 * environment, as a fixed-width table inside a code block.
 */
export function metricsTable(promotion: Promotion): string {
  const names = [
    ...new Set([
      ...Object.keys(promotion.metrics),
      ...Object.keys(promotion.championMetrics),
    ]),
  ].sort();
  const live = promotion.championVersion
    ? `v${promotion.championVersion} (live)`
    : "live";
  const heading = `*Metrics:* v${escapeMrkdwn(promotion.version)} against ${promotion.championVersion ? `v${escapeMrkdwn(promotion.championVersion)}, live in ${escapeMrkdwn(promotion.environment)}` : `nothing live in ${escapeMrkdwn(promotion.environment)} yet`}`;
  if (names.length === 0)
    return `${heading}\n_The version's run logged no metrics._`;

  const rows = names.slice(0, MAX_ROWS).map((name) => {
    const candidate = promotion.metrics[name];
    const champion = promotion.championMetrics[name];
    return [
      truncate(name, NAME_WIDTH).padEnd(NAME_WIDTH),
      formatNumber(candidate).padStart(12),
      formatNumber(champion).padStart(12),
      formatDelta(candidate, champion).padStart(10),
    ].join(" ");
  });
  const header = [
    "metric".padEnd(NAME_WIDTH),
    `v${truncate(promotion.version, 10)}`.padStart(12),
    truncate(live, 12).padStart(12),
    "change".padStart(10),
  ].join(" ");
  const more =
    names.length > MAX_ROWS
      ? `\n_${names.length - MAX_ROWS} more metrics not shown._`
      : "";

  return `${heading}\n\`\`\`${escapeMrkdwn([header, ...rows].join("\n"))}\`\`\`${more}`;
}

function formatNumber(value: number | undefined): string {
  if (value === undefined) return "–";
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 ? value.toFixed(1) : value.toPrecision(4);
}

function formatDelta(
  candidate: number | undefined,
  champion: number | undefined,
): string {
  if (candidate === undefined || champion === undefined) return "";
  const delta = candidate - champion;
  if (delta === 0) return "=";
  return `${delta > 0 ? "+" : ""}${formatNumber(delta)}`;
}
