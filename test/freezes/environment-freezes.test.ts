import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseAuditEntry } from "../../src/audit/audit-event.js";
import type { ModelEntry } from "../../src/config/config-registry.js";
import {
  findActiveFreeze,
  freezeEnvironment,
  recordFreezeBreak,
  unfreezeEnvironment,
} from "../../src/environment-freezes.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { SAMPLE_CONFIG, storeSampleConfig } from "../helpers/repo-config.js";
import { testServices } from "../helpers/services.js";

const { redis, url } = useRedis();
const HOUR = 3_600_000;
const CHURN = "example-user/Hello-World:churn";
const WEEKEND_CONFIG = `${SAMPLE_CONFIG}freezes:
  - { cron: "0 18 * * 5", duration: 62h, timezone: Europe/Berlin, environments: [production], reason: weekend }
`;

let services: Services;
let close: () => Promise<void>;
let entry: ModelEntry;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await storeSampleConfig(services.registry, { text: WEEKEND_CONFIG });
  entry = (await services.registry.entry(CHURN)) as ModelEntry;
});
afterEach(async () => {
  await close();
});

async function events(stream: string) {
  return (await redis().xrange(stream, "-", "+")).map(parseAuditEntry);
}

describe("freeze by command", () => {
  // A Wednesday, far from the configured weekend window.
  const start = new Date("2030-03-13T10:00:00Z");

  it.each<[string, number, boolean]>([
    ["a millisecond before it starts", -1, false],
    ["when it starts", 0, true],
    ["a millisecond before it ends", 2 * HOUR - 1, true],
    ["when it ends", 2 * HOUR, false],
  ])("is in force %s", async (_case, offsetMs, active) => {
    await freezeEnvironment(services, {
      environment: "production",
      durationMs: 2 * HOUR,
      reason: "quarter close",
      user: "U0000001",
      now: start,
    });

    const freeze = await findActiveFreeze(services, {
      environment: "production",
      entry,
      now: new Date(start.getTime() + offsetMs),
    });

    expect(freeze !== undefined).toBe(active);
  });

  it("applies to its environment only", async () => {
    await freezeEnvironment(services, {
      environment: "production",
      durationMs: 2 * HOUR,
      reason: "quarter close",
      user: "U0000001",
      now: start,
    });

    const staging = await findActiveFreeze(services, {
      environment: "staging",
      entry,
      now: start,
    });

    expect(staging).toBeUndefined();
  });

  it("returns who froze, why and until when, and audits it", async () => {
    const result = await freezeEnvironment(services, {
      environment: "production",
      durationMs: 2 * HOUR,
      reason: "quarter close",
      user: "U0000001",
      now: start,
    });
    const freeze = await findActiveFreeze(services, {
      environment: "production",
      entry,
      now: start,
    });

    expect(result.outcome).toBe("frozen");
    expect(freeze).toEqual({
      environment: "production",
      reason: "quarter close",
      startsAt: start,
      endsAt: new Date(start.getTime() + 2 * HOUR),
      source: "command",
      by: "U0000001",
    });
    const [event] = await events(keys.auditModel(CHURN));
    expect(event?.action).toBe("freeze");
    expect(event?.actor).toBe("U0000001");
    expect(event?.reason).toBe("quarter close");
    expect(event?.environment).toBe("production");
    expect(event?.fields.until).toBe("2030-03-13T12:00:00.000Z");
  });

  it("replaces an earlier freeze", async () => {
    const first = { environment: "production", user: "U0000001", now: start };
    await freezeEnvironment(services, {
      ...first,
      durationMs: 2 * HOUR,
      reason: "quarter close",
    });

    const second = await freezeEnvironment(services, {
      ...first,
      durationMs: 30 * 60_000,
      reason: "short",
    });
    const freeze = await findActiveFreeze(services, {
      environment: "production",
      entry,
      now: new Date(start.getTime() + HOUR),
    });

    expect(second.outcome).toBe("replaced");
    expect(freeze).toBeUndefined();
  });

  it("lifts with unfreeze, once", async () => {
    await freezeEnvironment(services, {
      environment: "production",
      durationMs: 2 * HOUR,
      reason: "quarter close",
      user: "U0000001",
      now: start,
    });

    const lifted = await unfreezeEnvironment(services, {
      environment: "production",
      user: "U0000002",
      now: start,
    });
    const again = await unfreezeEnvironment(services, {
      environment: "production",
      user: "U0000002",
      now: start,
    });

    expect(lifted).toEqual({
      outcome: "cleared",
      reason: "quarter close",
      endsAt: new Date(start.getTime() + 2 * HOUR),
      by: "U0000001",
    });
    expect(again).toEqual({ outcome: "none" });
    expect(
      await findActiveFreeze(services, {
        environment: "production",
        entry,
        now: start,
      }),
    ).toBeUndefined();
    expect(
      (await events(keys.auditAll())).map((event) => event.action),
    ).toEqual(["freeze", "unfreeze"]);
  });
});

describe("findActiveFreeze with configured windows", () => {
  it("finds the weekend window from the model's configuration", async () => {
    const freeze = await findActiveFreeze(services, {
      environment: "production",
      entry,
      now: new Date("2025-03-30T12:00:00Z"),
    });

    expect(freeze).toEqual({
      environment: "production",
      reason: "weekend",
      startsAt: new Date("2025-03-28T17:00:00Z"),
      endsAt: new Date("2025-03-31T06:00:00Z"),
      source: "config",
      by: undefined,
    });
  });

  it("returns whichever freeze ends last", async () => {
    const saturday = new Date("2025-03-29T12:00:00Z");
    await redis().hset(keys.environmentFreeze("production"), {
      environment: "production",
      reason: "migration",
      startsAt: saturday.toISOString(),
      endsAt: new Date("2025-04-02T00:00:00Z").toISOString(),
      by: "U0000001",
    });

    const freeze = await findActiveFreeze(services, {
      environment: "production",
      entry,
      now: saturday,
    });

    expect(freeze?.source).toBe("command");
    expect(freeze?.endsAt).toEqual(new Date("2025-04-02T00:00:00Z"));
  });
});

describe("recordFreezeBreak", () => {
  it("audits the break once per promotion and user", async () => {
    const { promotion } = await services.store.create(
      newPromotion({ environment: "production" }),
      "slack:trigger-break",
    );

    const params = {
      environment: "production",
      promotionId: promotion.id,
      user: "U0000002",
      reason: "hotfix for a data leak",
    };
    await recordFreezeBreak(services, params);
    await recordFreezeBreak(services, params);

    const breaks = (await events(keys.auditModel(CHURN))).filter(
      (event) => event.action === "freeze_break",
    );
    expect(breaks).toHaveLength(1);
    expect(breaks[0]).toMatchObject({
      actor: "U0000002",
      reason: "hotfix for a data leak",
      promotion: promotion.id,
      version: "42",
      environment: "production",
      model: CHURN,
    });
    expect(
      (await events(keys.auditAll())).filter(
        (event) => event.action === "freeze_break",
      ),
    ).toHaveLength(1);
  });
});
