import { describe, expect, it } from "vitest";
import { requestRetraining } from "../../jobs/retraining-run.js";
import { keys } from "../../src/store/keys.js";
import { RetrainingRunStore } from "../../src/retraining/run-store.js";
import {
  jobIds,
  MODEL,
  SAMPLE_CONFIG,
  retrainingRequest,
  storeConfig,
  useRetrainingServices,
} from "./helpers.js";

const { services } = useRetrainingServices();

const HOUR = 3_600_000;

async function setLastDispatch(at: Date): Promise<void> {
  await services().redis.set(
    keys.retrainingLastDispatch(MODEL),
    String(at.getTime()),
  );
}

describe("requestRetraining", () => {
  it("queues a run with a job id from the dedupe key", async () => {
    const result = await requestRetraining(
      services(),
      retrainingRequest(),
      "drift:fp1",
    );

    expect(result).toEqual({ queued: true });
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([
      "retrain.drift.fp1",
    ]);
    const runs = new RetrainingRunStore(services().redis);
    const run = await runs.get((await runs.inFlight(MODEL)) ?? "");
    expect(run).toMatchObject({
      modelName: "churn",
      workflow: "train.yml",
      ticket: "MLOPS-12",
      source: "drift",
      status: "queued",
    });
  });

  it("turns a second run away while one is in flight", async () => {
    await requestRetraining(
      services(),
      retrainingRequest({ source: "slack", requestedBy: "U0000001" }),
      "slack:t1",
    );

    const second = await requestRetraining(
      services(),
      retrainingRequest({ source: "schedule" }),
      "schedule:t2",
    );

    expect(second.queued).toBe(false);
    expect(second.why).toContain(
      "A retraining run of churn is already in flight",
    );
    expect(second.why).toContain("requested by U0000001");
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([
      "retrain.slack.t1",
    ]);
  });

  it("queues a repeated request once", async () => {
    const first = await requestRetraining(
      services(),
      retrainingRequest(),
      "drift:fp1",
    );
    const again = await requestRetraining(
      services(),
      retrainingRequest(),
      "drift:fp1",
    );

    expect(first.queued).toBe(true);
    expect(again.queued).toBe(true);
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([
      "retrain.drift.fp1",
    ]);
  });

  it("queues again once the run in flight completes", async () => {
    await requestRetraining(services(), retrainingRequest(), "drift:fp1");
    const runs = new RetrainingRunStore(services().redis);
    const run = await runs.get((await runs.inFlight(MODEL)) ?? "");
    if (!run) throw new Error("no run");
    await runs.complete(run, "training_failed", {
      step: "outcome",
      channelMessage: "failed",
      ticketComment: "failed",
    });

    const next = await requestRetraining(
      services(),
      retrainingRequest({ source: "slack" }),
      "slack:t2",
    );

    expect(await runs.inFlight(MODEL)).not.toBe(run.id);
    expect(next).toEqual({ queued: true });
  });

  it("turns drift away within the cooldown", async () => {
    const last = new Date(Date.now() - 2 * HOUR);
    await setLastDispatch(last);

    const result = await requestRetraining(
      services(),
      retrainingRequest(),
      "drift:fp1",
    );

    expect(result.queued).toBe(false);
    expect(result.why).toBe(
      `churn was last retrained at ${last.toISOString()}; drift retraining waits for retrain.cooldown (24h), until ${new Date(last.getTime() + 24 * HOUR).toISOString()}.`,
    );
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([]);
    expect(await services().redis.exists(keys.retrainingLock(MODEL))).toBe(0);
  });

  it("lets drift through after the cooldown", async () => {
    await setLastDispatch(new Date(Date.now() - 25 * HOUR));

    const result = await requestRetraining(
      services(),
      retrainingRequest(),
      "drift:fp1",
    );

    expect(result).toEqual({ queued: true });
  });

  it.each(["slack", "schedule", "pull_request"] as const)(
    "ignores the cooldown for %s",
    async (source) => {
      await setLastDispatch(new Date(Date.now() - 2 * HOUR));

      const result = await requestRetraining(
        services(),
        retrainingRequest({ source }),
        `${source}:1`,
      );

      expect(result).toEqual({ queued: true });
    },
  );

  it("turns drift away when on_drift is off", async () => {
    await storeConfig(services(), SAMPLE_CONFIG);

    const result = await requestRetraining(
      services(),
      retrainingRequest(),
      "drift:fp1",
    );

    expect(result.queued).toBe(false);
    expect(result.why).toContain("retrain.on_drift is not set");
  });

  it("turns a model without training_workflow away", async () => {
    await storeConfig(
      services(),
      SAMPLE_CONFIG.replace("    training_workflow: train.yml\n", ""),
    );

    const result = await requestRetraining(
      services(),
      retrainingRequest({ source: "slack" }),
      "slack:t1",
    );

    expect(result.queued).toBe(false);
    expect(result.why).toContain("churn has no training_workflow");
  });

  it("turns an unknown model away", async () => {
    const result = await requestRetraining(
      services(),
      retrainingRequest({ modelKey: "example-user/Hello-World:fraud" }),
      "drift:fp1",
    );

    expect(result.queued).toBe(false);
    expect(result.why).toContain("is not configured");
  });
});
