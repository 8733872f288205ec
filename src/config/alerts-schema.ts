import { z } from "zod";
import { parseDuration } from "./duration.js";

export const ALERT_CLASSES = ["drift", "critical", "other"] as const;

const regex = z.string().refine(
  (pattern) => {
    try {
      new RegExp(pattern);
      return true;
    } catch {
      return false;
    }
  },
  {
    error: (issue) =>
      `invalid regular expression ${JSON.stringify(issue.input)}`,
  },
);

/**
 * One classification rule. As in an Alertmanager route, `match` compares
 * label values for equality and `match_re` with regular expressions that
 * must match the whole value. A rule matches when all its conditions hold.
 */
export const alertRuleSchema = z
  .strictObject({
    class: z.enum(ALERT_CLASSES, {
      error: `invalid class; use one of ${ALERT_CLASSES.join(", ")}`,
    }),
    match: z.record(z.string(), z.string()).default({}),
    match_re: z.record(z.string(), regex).default({}),
  })
  .refine(
    (rule) =>
      Object.keys(rule.match).length + Object.keys(rule.match_re).length > 0,
    { error: "a rule needs at least one label in match or match_re" },
  );

/** The `alerts` section of `.github/gantry.yml`. */
export const alertsSchema = z.strictObject({
  /** Checked in order before the default rules; the first rule that matches decides. */
  rules: z.array(alertRuleSchema).default([]),
  /** A ticket closed this recently is reopened instead of a new one being opened. */
  reopen_window: z
    .string()
    .refine((value) => parseDuration(value) !== undefined, {
      error: (issue) =>
        `invalid duration ${JSON.stringify(issue.input)}; use a number and a unit, for example 7d or 36h`,
    })
    .default("7d"),
});

export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertsConfig = z.infer<typeof alertsSchema>;
export type AlertClass = (typeof ALERT_CLASSES)[number];
