import { describe, expect, it } from "vitest";
import { readFixture } from "../../scripts/fixtures.js";
import { RetrainingRunStore } from "../../src/retraining/run-store.js";
import {
  jobIds,
  MODEL,
  SAMPLE_CONFIG,
  storeConfig,
  testBolt,
  useRetrainingServices,
} from "./helpers.js";

const { services } = useRetrainingServices();

const USAGE = "Usage: `/retrain MODEL [reason]`";

/** The /retrain fixture with new text, as Bolt receives it after parsing the form. */
function command(
  text: string,
  triggerId = "0000000000003.0000000001.t3",
): Record<string, string> {
  const form = Object.fromEntries(
    new URLSearchParams(readFixture("slack/slash_command.retrain.txt")),
  );
  return { ...form, text, trigger_id: triggerId };
}

async function send(text: string, triggerId?: string): Promise<string> {
  const acknowledged = (await testBolt(services()).dispatch(
    command(text, triggerId),
  )) as { response_type?: string; text?: string } | undefined;
  expect(acknowledged?.response_type).toBe("ephemeral");
  return acknowledged?.text ?? "";
}

describe("/retrain", () => {
  it("queues the run from the fixture", async () => {
    const reply = await send("churn drift on tenure_months");

    expect(reply).toBe(
      "Dispatching `train.yml` of churn on the default branch…",
    );
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([
      "retrain.slack.0000000000003.0000000001.t3",
    ]);
    const runs = new RetrainingRunStore(services().redis);
    expect(await runs.get((await runs.inFlight(MODEL)) ?? "")).toMatchObject({
      reason: "drift on tenure_months",
      requestedBy: "U0000001",
      source: "slack",
      channel: "C0000001",
      responseUrl:
        "https://hooks.slack.com/commands/T0000001/0000000000003/placeholderResponseUrlToken3",
    });
  });

  it.each([
    ["", "/retrain needs a model name."],
    ["churn! now", "Invalid model name `churn!`"],
    ["chrun", "Unknown model `chrun`. Did you mean `churn`?"],
    ["fraud", "Unknown model `fraud`."],
  ])("answers %j with what is wrong and the usage", async (text, error) => {
    const reply = await send(text);

    expect(reply).toContain(error);
    expect(reply).toContain(USAGE);
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([]);
  });

  it("answers a model without training_workflow", async () => {
    await storeConfig(
      services(),
      SAMPLE_CONFIG.replace("    training_workflow: train.yml\n", ""),
    );

    const reply = await send("churn");

    expect(reply).toContain("churn has no `training_workflow`");
    expect(reply).toContain(USAGE);
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([]);
  });

  it("says why a run in flight turns it away", async () => {
    await send("churn first", "trigger-1");

    const reply = await send("churn second", "trigger-2");

    expect(reply).toContain(
      "Retraining of churn was not started: A retraining run of churn is already in flight",
    );
    expect(await jobIds(services(), "{retraining-runs}")).toEqual([
      "retrain.slack.trigger-1",
    ]);
  });
});
