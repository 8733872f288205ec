/** Returns whether the runtime's Intl knows the IANA time zone name. */
export function isTimeZone(name: string): boolean {
  if (name.trim() === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let existing = formatters.get(timeZone);
  if (!existing) {
    existing = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, existing);
  }
  return existing;
}

/**
 * Returns the wall-clock time that `instant` shows in the time zone, encoded
 * as milliseconds since the epoch as if that wall clock were UTC.
 */
export function wallClockMs(instant: Date, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return (
    Date.UTC(
      parts.year ?? 1970,
      (parts.month ?? 1) - 1,
      parts.day ?? 1,
      parts.hour ?? 0,
      parts.minute ?? 0,
      parts.second ?? 0,
    ) +
    (instant.getTime() % 1000)
  );
}

/** Returns the time zone's offset from UTC at `instant`, in milliseconds. */
export function offsetMs(instant: Date, timeZone: string): number {
  return wallClockMs(instant, timeZone) - instant.getTime();
}

/**
 * Converts a wall-clock time in the time zone (encoded as by `wallClockMs`)
 * to an instant. A time that the clocks skip when they spring forward maps
 * to the same distance past the gap, and a time that occurs twice when they
 * fall back maps to its later occurrence.
 */
export function instantOfWallClock(wallClock: number, timeZone: string): Date {
  const before = offsetMs(new Date(wallClock - 86_400_000), timeZone);
  const after = offsetMs(new Date(wallClock + 86_400_000), timeZone);
  const candidates = [wallClock - before, wallClock - after]
    .filter((time) => wallClockMs(new Date(time), timeZone) === wallClock)
    .sort((a, b) => b - a);

  return new Date(candidates[0] ?? wallClock - before);
}

/**
 * Adds a duration to an instant on the time zone's wall clock, so that
 * Friday 18:00 plus 62h is Monday 08:00 local time also in a week when the
 * clocks change.
 */
export function addWallClock(
  instant: Date,
  durationMs: number,
  timeZone: string,
): Date {
  return instantOfWallClock(
    wallClockMs(instant, timeZone) + durationMs,
    timeZone,
  );
}
