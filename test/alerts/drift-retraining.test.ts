import { beforeEach, describe, expect, it, vi } from "vitest";
import { requestRetraining } from "../../jobs/retraining-run.js";
import {
  ALERT_CONFIG,
  fixtureAlerts,
  jiraApi,
  MODEL_KEY,
  slackApi,
  useAlertJobs,
} from "./alert-helpers.js";

// The retraining side has its own tests; here only the request matters.
vi.mock(import("../../jobs/retraining-run.js"), async (importOriginal) => ({
  ...(await importOriginal()),
  requestRetraining: vi.fn(async () => ({ queued: true })),
}));

beforeEach(() => {
  vi.mocked(requestRetraining).mockClear();
});

describe("drift alert with retrain.on_drift", () => {
  const jobs = useAlertJobs({
    config: `${ALERT_CONFIG}retrain: { on_drift: true, cooldown: 24h }\n`,
  });

  it("requests retraining with the ticket key", async () => {
    const [drift] = fixtureAlerts();
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-1");

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(vi.mocked(requestRetraining).mock.calls).toEqual([
      [
        expect.anything(),
        {
          modelKey: MODEL_KEY,
          reason:
            "drift alert ModelFeatureDrift fired at 2024-05-14T09:30:00.000Z",
          ticket: "MLOPS-1",
          requestedBy: "gantry",
          source: "drift",
        },
        "drift:3c1f0a9b7d2e4f61:2024-05-14T09:30:00.000Z",
      ],
    ]);
  });

  it("does not retrain for a critical alert", async () => {
    const [, critical] = fixtureAlerts();
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-2");
    slackApi.chatPostMessage([]);

    await jobs.run([critical]);

    expect(vi.mocked(requestRetraining)).not.toHaveBeenCalled();
  });
});

describe("drift alert without retrain.on_drift", () => {
  const jobs = useAlertJobs();

  it("opens the ticket and does not retrain", async () => {
    const [drift] = fixtureAlerts();
    jiraApi.searchJira([]);
    jiraApi.addNewIssue("MLOPS-1");

    const [outcome] = await jobs.run([drift]);

    expect(outcome?.state).toBe("completed");
    expect(vi.mocked(requestRetraining)).not.toHaveBeenCalled();
  });
});
