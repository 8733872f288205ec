import { CronExpressionParser } from "cron-parser";
import cron from "node-cron";
import { z } from "zod";
import { parseDuration } from "./duration.js";
import { isTimeZone } from "../time/zoned-time.js";

/** The longest freeze window a configuration may declare: 31 days. */
export const MAX_WINDOW_MS = 31 * 86_400_000;

const cronExpression = z.string().refine(
  (value) => {
    if (!cron.validate(value)) return false;
    try {
      CronExpressionParser.parse(value, { strict: false });
      return true;
    } catch {
      return false;
    }
  },
  {
    error: (issue) =>
      `invalid cron expression ${JSON.stringify(issue.input)}; use five fields (minute hour day-of-month month day-of-week), for example "0 18 * * 5" for Fridays at 18:00`,
  },
);

const windowDuration = z.string().refine(
  (value) => {
    const ms = parseDuration(value);
    return ms !== undefined && ms >= 60_000 && ms <= MAX_WINDOW_MS;
  },
  {
    error: (issue) =>
      `invalid duration ${JSON.stringify(issue.input)}; use a number and a unit between 1m and 31d, for example 62h`,
  },
);

const timeZone = z.string().refine(isTimeZone, {
  error: (issue) =>
    `unknown time zone ${JSON.stringify(issue.input)}; use an IANA name such as Europe/Berlin or UTC`,
});

/**
 * A recurring freeze declared in `.github/gantry.yml`: it starts at each
 * time the cron expression names in the time zone and lasts `duration`.
 */
export const freezeWindowSchema = z.strictObject({
  cron: cronExpression,
  duration: windowDuration,
  timezone: timeZone.default("UTC"),
  environments: z.array(z.string().min(1)).min(1, {
    error: "name at least one environment, for example [production]",
  }),
  reason: z.string().min(1).default("scheduled freeze"),
});

export type FreezeWindowConfig = z.infer<typeof freezeWindowSchema>;
