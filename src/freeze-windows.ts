import { CronExpressionParser } from "cron-parser";
import { parseDuration } from "./config/duration.js";
import type { FreezeWindowConfig } from "./config/freeze-window-schema.js";
import { addWallClock } from "./time/zoned-time.js";

/**
 * At most this many back-to-back starts are joined into one window, so a
 * window that always starts again before it ends reports an end this many
 * starts ahead instead of searching forever.
 */
const MAX_JOINED_STARTS = 500;

export type ActiveWindow = {
  reason: string;
  startsAt: Date;
  endsAt: Date;
};

/**
 * Returns the configured window in force for the environment at `now`, the
 * one that ends last when several are. A window is in force from a cron
 * start in its time zone until the duration has passed on that zone's wall
 * clock, so a Friday 18:00 start with 62h ends Monday 08:00 local time in
 * every week, also when the clocks change over the weekend.
 */
export function activeConfigWindow(
  windows: readonly FreezeWindowConfig[],
  environment: string,
  now: Date,
): ActiveWindow | undefined {
  let latest: ActiveWindow | undefined;

  for (const window of windows) {
    if (!window.environments.includes(environment)) continue;
    const active = activeWindow(window, now);
    if (active && (!latest || active.endsAt > latest.endsAt)) latest = active;
  }
  return latest;
}

function activeWindow(
  window: FreezeWindowConfig,
  now: Date,
): ActiveWindow | undefined {
  const durationMs = parseDuration(window.duration);
  if (durationMs === undefined) return undefined;

  // prev() finds the latest start strictly before its current date, so one
  // millisecond later makes a start at exactly `now` count.
  const startsAt = startBefore(window, new Date(now.getTime() + 1));
  if (!startsAt) return undefined;
  const endsAt = addWallClock(startsAt, durationMs, window.timezone);
  if (now >= endsAt) return undefined;

  return {
    reason: window.reason,
    startsAt,
    endsAt: joinedEnd(window, startsAt, endsAt, durationMs),
  };
}

function startBefore(window: FreezeWindowConfig, date: Date): Date | undefined {
  try {
    return CronExpressionParser.parse(window.cron, {
      currentDate: date,
      tz: window.timezone,
    })
      .prev()
      .toDate();
  } catch {
    // The schema checks every expression, so this is only a cron with no start before the date.
    return undefined;
  }
}

/**
 * Extends a window's end over the starts that fall inside it, so a window
 * that begins again before it ends reports when the freeze really lifts.
 */
function joinedEnd(
  window: FreezeWindowConfig,
  startsAt: Date,
  endsAt: Date,
  durationMs: number,
): Date {
  const starts = CronExpressionParser.parse(window.cron, {
    currentDate: startsAt,
    tz: window.timezone,
  });
  let end = endsAt;

  for (let joined = 0; joined < MAX_JOINED_STARTS; joined++) {
    const next = starts.next().toDate();
    if (next > end) break;
    const nextEnd = addWallClock(next, durationMs, window.timezone);
    if (nextEnd > end) end = nextEnd;
  }
  return end;
}
