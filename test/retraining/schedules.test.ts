import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  requestScheduledRetraining,
  RetrainingSchedules,
} from "../../src/retraining/retraining-schedules.js";
import type { Services } from "../../src/services.js";
import {
  jobIds,
  MODEL,
  retrainingTestServices,
  SAMPLE_CONFIG,
  storeConfig,
  useRetrainingServices,
} from "./helpers.js";

const { services, url } = useRetrainingServices();

type LogRecord = { msg: string; [field: string]: unknown };

/** A second worker replica on the same Redis, with its own connection and queues. */
let replicas: { services: Services; close: () => Promise<void> }[] = [];
let schedules: RetrainingSchedules[] = [];

afterEach(async () => {
  for (const schedule of schedules) await schedule.stop();
  for (const replica of replicas) await replica.close();
  schedules = [];
  replicas = [];
});

function secondReplica(): Services {
  const replica = retrainingTestServices(url);
  replicas.push(replica);
  return replica.services;
}

/** Sends a services' log lines to an array, to see what each replica did. */
function captureLogs(target: Services): LogRecord[] {
  const records: LogRecord[] = [];
  target.log = pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        records.push(JSON.parse(chunk.toString()) as LogRecord);
        done();
      },
    }),
  );
  return records;
}

function scheduleConfig(expression: string): string {
  return `${SAMPLE_CONFIG}retrain: { schedule: "${expression}" }\n`;
}

describe("scheduled retraining", () => {
  it("queues one run when two replicas enqueue the same tick", async () => {
    const tickAt = new Date("2026-05-11T02:00:00.000Z");
    const other = secondReplica();

    const results = await Promise.all(
      [services(), other].map((replica) =>
        requestScheduledRetraining(replica, {
          modelKey: MODEL,
          expression: "0 2 * * 1",
          tickAt,
        }),
      ),
    );

    expect(results).toEqual([{ queued: true }, { queued: true }]);
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([
      `retrain.schedule.${MODEL.replace(/:/g, ".")}.2026-05-11T02.00.00.000Z`,
    ]);
  });

  it("turns the next tick away while the first run is in flight", async () => {
    await requestScheduledRetraining(services(), {
      modelKey: MODEL,
      expression: "0 2 * * 1",
      tickAt: new Date("2026-05-11T02:00:00.000Z"),
    });

    const next = await requestScheduledRetraining(secondReplica(), {
      modelKey: MODEL,
      expression: "0 2 * * 1",
      tickAt: new Date("2026-05-18T02:00:00.000Z"),
    });

    expect(next.queued).toBe(false);
    expect(next.why).toContain("already in flight");
    expect(await jobIds(services(), "{retraining-runs}")).toHaveLength(1);
  });

  it("fires a cron tick on two replicas into one job", async () => {
    await storeConfig(services(), scheduleConfig("* * * * * *"));
    const first = services();
    const second = secondReplica();
    const logs = [captureLogs(first), captureLogs(second)];
    schedules = [
      new RetrainingSchedules(first),
      new RetrainingSchedules(second),
    ];

    await Promise.all(schedules.map((schedule) => schedule.sync()));
    const queuedKeys = (records: LogRecord[]) =>
      records
        .filter((record) => record.msg === "retraining queued")
        .map((record) => ({
          dedupeKey: record.dedupeKey,
          repeated: record.repeated,
        }));
    await vi.waitFor(
      () => {
        const [a = [], b = []] = logs.map(queuedKeys);
        expect(a.length + b.length).toBeGreaterThanOrEqual(2);
      },
      { timeout: 5000, interval: 100 },
    );
    for (const schedule of schedules) await schedule.stop();

    const [a = [], b = []] = logs.map(queuedKeys);
    const both = [...a, ...b];
    const tick = both[0]?.dedupeKey;
    expect(tick).toMatch(
      new RegExp(
        `^schedule:${MODEL}:\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.000Z$`,
      ),
    );
    expect(both.filter((entry) => entry.dedupeKey === tick)).toEqual(
      expect.arrayContaining([
        { dedupeKey: tick, repeated: false },
        { dedupeKey: tick, repeated: true },
      ]),
    );
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([
      `retrain.${String(tick).replace(/:/g, ".")}`,
    ]);
  });

  it("follows configuration reloads", async () => {
    const schedule = new RetrainingSchedules(services());
    schedules = [schedule];

    await storeConfig(services(), scheduleConfig("0 2 * * 1"));
    await schedule.sync();
    const first = schedule.active();
    await storeConfig(services(), scheduleConfig("30 3 * * *"));
    await schedule.sync();
    const changed = schedule.active();
    await storeConfig(services(), SAMPLE_CONFIG);
    await schedule.sync();
    const removed = schedule.active();

    expect(first).toEqual(new Map([[MODEL, "0 2 * * 1"]]));
    expect(changed).toEqual(new Map([[MODEL, "30 3 * * *"]]));
    expect(removed).toEqual(new Map());
  });

  it("skips an invalid expression and warns once", async () => {
    const logs = captureLogs(services());
    const schedule = new RetrainingSchedules(services());
    schedules = [schedule];
    await storeConfig(services(), scheduleConfig("every monday"));

    await schedule.sync();
    await schedule.sync();

    expect(schedule.active()).toEqual(new Map());
    expect(
      logs.filter((record) =>
        record.msg.startsWith("invalid retrain.schedule"),
      ),
    ).toHaveLength(1);
  });

  it("skips a model without training_workflow", async () => {
    const schedule = new RetrainingSchedules(services());
    schedules = [schedule];
    await storeConfig(
      services(),
      scheduleConfig("0 2 * * 1").replace(
        "    training_workflow: train.yml\n",
        "",
      ),
    );

    await schedule.sync();

    expect(schedule.active()).toEqual(new Map());
  });
});
