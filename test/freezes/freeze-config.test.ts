import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { validateRepoConfig } from "../../src/config/repo-config.js";
import { SAMPLE_CONFIG } from "../helpers/repo-config.js";

function withFreezes(freezes: string): unknown {
  return parse(`${SAMPLE_CONFIG}freezes:\n${freezes}`);
}

describe("freezes in .github/gantry.yml", () => {
  it("keeps a configuration without freezes valid and unchanged", () => {
    const result = validateRepoConfig(parse(SAMPLE_CONFIG));

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config).not.toHaveProperty("freezes");
  });

  it("accepts a window and fills in its defaults", () => {
    const result = validateRepoConfig(
      withFreezes(
        `  - { cron: "0 18 * * 5", duration: 62h, timezone: Europe/Berlin, environments: [production], reason: weekend }\n  - { cron: "0 0 1 1 *", duration: 1d, environments: [staging, production] }\n`,
      ),
    );

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.freezes).toEqual([
      {
        cron: "0 18 * * 5",
        duration: "62h",
        timezone: "Europe/Berlin",
        environments: ["production"],
        reason: "weekend",
      },
      {
        cron: "0 0 1 1 *",
        duration: "1d",
        timezone: "UTC",
        environments: ["staging", "production"],
        reason: "scheduled freeze",
      },
    ]);
  });

  it.each<[string, string, string]>([
    [
      `  - { cron: "0 25 * * 5", duration: 2h, environments: [production] }`,
      "freezes[0].cron",
      'invalid cron expression "0 25 * * 5"',
    ],
    [
      `  - { cron: "every friday", duration: 2h, environments: [production] }`,
      "freezes[0].cron",
      "invalid cron expression",
    ],
    [
      `  - { cron: "0 18 * * 5", duration: 2x, environments: [production] }`,
      "freezes[0].duration",
      'invalid duration "2x"',
    ],
    [
      `  - { cron: "0 18 * * 5", duration: 32d, environments: [production] }`,
      "freezes[0].duration",
      "between 1m and 31d",
    ],
    [
      `  - { cron: "0 18 * * 5", duration: 2h, timezone: Europe/Berlim, environments: [production] }`,
      "freezes[0].timezone",
      'unknown time zone "Europe/Berlim"',
    ],
    [
      `  - { cron: "0 18 * * 5", duration: 2h, environments: [] }`,
      "freezes[0].environments",
      "name at least one environment",
    ],
    [
      `  - { cron: "0 18 * * 5", duration: 2h, environments: [prodution] }`,
      "freezes[0].environments[0]",
      'names unknown environment "prodution"; use one of dev, staging, production (did you mean "production"?)',
    ],
    [
      `  - { cron: "0 18 * * 5", duration: 2h, environments: [production], until: monday }`,
      "freezes[0].until",
      "unknown key",
    ],
  ])("rejects %s", (freezes, path, message) => {
    const result = validateRepoConfig(withFreezes(`${freezes}\n`));

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toContainEqual({
      path,
      message: expect.stringContaining(message),
    });
  });
});
