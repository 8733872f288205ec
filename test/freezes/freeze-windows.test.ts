import { describe, expect, it } from "vitest";
import type { FreezeWindowConfig } from "../../src/config/freeze-window-schema.js";
import { activeConfigWindow } from "../../src/freeze-windows.js";
import { addWallClock, instantOfWallClock } from "../../src/time/zoned-time.js";

/** Fridays 18:00 in Berlin for 62 hours: until Monday 08:00 local time. */
const WEEKEND: FreezeWindowConfig = {
  cron: "0 18 * * 5",
  duration: "62h",
  timezone: "Europe/Berlin",
  environments: ["production"],
  reason: "weekend",
};

const at = (iso: string) => new Date(iso);

describe("activeConfigWindow", () => {
  it.each<[string, string, boolean]>([
    // A week without a clock change: CET is UTC+1.
    ["before the start", "2025-03-14T16:59:59.999Z", false],
    ["at the start", "2025-03-14T17:00:00.000Z", true],
    ["during the weekend", "2025-03-16T12:00:00.000Z", true],
    ["just before the end", "2025-03-17T06:59:59.999Z", true],
    ["at the end", "2025-03-17T07:00:00.000Z", false],
    // Clocks spring forward on Sunday 30 March 2025: Friday is UTC+1, Monday UTC+2.
    ["spring: Friday 17:59 local", "2025-03-28T16:59:00.000Z", false],
    ["spring: Friday 18:00 local", "2025-03-28T17:00:00.000Z", true],
    ["spring: Monday 07:59 local", "2025-03-31T05:59:00.000Z", true],
    ["spring: Monday 08:00 local", "2025-03-31T06:00:00.000Z", false],
    // Clocks fall back on Sunday 26 October 2025: Friday is UTC+2, Monday UTC+1.
    ["autumn: Friday 17:59 local", "2025-10-24T15:59:00.000Z", false],
    ["autumn: Friday 18:00 local", "2025-10-24T16:00:00.000Z", true],
    ["autumn: Monday 07:59 local", "2025-10-27T06:59:00.000Z", true],
    ["autumn: Monday 08:00 local", "2025-10-27T07:00:00.000Z", false],
    // The first Friday after the change starts at 18:00 CEST, 16:00 UTC.
    ["after spring: Friday 17:00 UTC", "2025-04-04T16:30:00.000Z", true],
  ])("weekend window %s", (_case, iso, active) => {
    const window = activeConfigWindow([WEEKEND], "production", at(iso));

    expect(window !== undefined).toBe(active);
  });

  it("reports the local start and end across the spring change", () => {
    const window = activeConfigWindow(
      [WEEKEND],
      "production",
      at("2025-03-30T12:00:00Z"),
    );

    expect(window).toEqual({
      reason: "weekend",
      startsAt: at("2025-03-28T17:00:00.000Z"),
      endsAt: at("2025-03-31T06:00:00.000Z"),
    });
  });

  it("ignores other environments", () => {
    const window = activeConfigWindow(
      [WEEKEND],
      "staging",
      at("2025-03-15T12:00:00Z"),
    );

    expect(window).toBeUndefined();
  });

  it("joins windows that start again before they end", () => {
    const nightly: FreezeWindowConfig = {
      cron: "0 0 * * *",
      duration: "36h",
      timezone: "UTC",
      environments: ["production"],
      reason: "release train",
    };

    const window = activeConfigWindow(
      [nightly],
      "production",
      at("2025-03-15T06:00:00Z"),
    );

    expect(window?.startsAt).toEqual(at("2025-03-15T00:00:00Z"));
    expect(window?.endsAt.getTime()).toBeGreaterThan(
      at("2025-03-20T00:00:00Z").getTime(),
    );
  });

  it("returns the window that ends last", () => {
    const long = { ...WEEKEND, duration: "3d", reason: "long weekend" };

    const window = activeConfigWindow(
      [WEEKEND, long],
      "production",
      at("2025-03-15T12:00:00Z"),
    );

    expect(window?.reason).toBe("long weekend");
    expect(window?.endsAt).toEqual(at("2025-03-17T17:00:00Z"));
  });
});

describe("zoned wall-clock time", () => {
  it("adds hours on the local clock across a change", () => {
    const friday = at("2025-03-28T17:00:00Z");

    expect(addWallClock(friday, 62 * 3_600_000, "Europe/Berlin")).toEqual(
      at("2025-03-31T06:00:00Z"),
    );
    expect(addWallClock(friday, 62 * 3_600_000, "UTC")).toEqual(
      at("2025-03-31T07:00:00Z"),
    );
  });

  it("moves a skipped local time past the gap", () => {
    // 02:30 on 30 March 2025 does not exist in Berlin; 03:30 CEST does.
    const skipped = Date.UTC(2025, 2, 30, 2, 30);

    expect(instantOfWallClock(skipped, "Europe/Berlin")).toEqual(
      at("2025-03-30T01:30:00Z"),
    );
  });

  it("takes the later of a repeated local time", () => {
    // 02:30 on 26 October 2025 happens twice in Berlin: 00:30 and 01:30 UTC.
    const repeated = Date.UTC(2025, 9, 26, 2, 30);

    expect(instantOfWallClock(repeated, "Europe/Berlin")).toEqual(
      at("2025-10-26T01:30:00Z"),
    );
  });
});
