import type { AlertClass, AlertRule } from "../config/alerts-schema.js";

/**
 * Classifies an alert by its labels. The repository's rules come first, in
 * order. Without a match, an alert is `drift` when its label `category` is
 * `drift` or its `alertname` contains "drift" in any case, `critical` when
 * its label `severity` is `critical`, and `other` otherwise.
 */
export function classifyAlert(
  labels: Record<string, string>,
  rules: readonly AlertRule[] = [],
): AlertClass {
  const rule = rules.find((candidate) => ruleMatches(candidate, labels));
  if (rule) return rule.class;

  if (labels.category === "drift") return "drift";
  if ((labels.alertname ?? "").toLowerCase().includes("drift")) return "drift";
  if (labels.severity === "critical") return "critical";
  return "other";
}

/** Checks one rule; a missing label counts as the empty string, as in Alertmanager's matchers. */
function ruleMatches(rule: AlertRule, labels: Record<string, string>): boolean {
  const equal = Object.entries(rule.match).every(
    ([name, value]) => (labels[name] ?? "") === value,
  );
  if (!equal) return false;

  return Object.entries(rule.match_re).every(([name, pattern]) =>
    new RegExp(`^(?:${pattern})$`).test(labels[name] ?? ""),
  );
}
