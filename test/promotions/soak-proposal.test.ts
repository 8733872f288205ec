import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackCardJob } from "../../jobs/slack-card.js";
import { soakProposalJob } from "../../jobs/soak-proposal.js";
import { proposeSoakedVersions } from "../../src/promotions/soak-proposal.js";
import { holdEnvironment } from "../../src/rollback/hold.js";
import type { Services } from "../../src/services.js";
import { keys } from "../../src/store/keys.js";
import {
  nockAlias,
  nockGetVersion,
  nockRunMetrics,
} from "../helpers/mlflow-nock.js";
import { useRedis } from "../helpers/redis.js";
import { REPO, storeSampleConfig } from "../helpers/repo-config.js";
import { queuedJobs, testServices } from "../helpers/services.js";

const JOB = {} as never;
const MODEL = `${REPO}:churn`;
const PROPOSAL = { model: MODEL, version: "42", environment: "staging" };
const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await storeSampleConfig(services.registry);
});

afterEach(async () => {
  await close();
});

/** Records that churn `version` went live in dev `hoursAgo` hours ago; staging soaks 24h. */
async function liveInDev(version: string, hoursAgo: number): Promise<void> {
  const at = new Date(Date.now() - hoursAgo * 3_600_000).toISOString();
  await services.redis.hset(keys.live(MODEL, "dev"), {
    version,
    promotionId: `prm_dev${version}`,
    at,
  });
  await services.redis.hset(keys.succeeded(MODEL, "dev"), version, at);
}

async function proposalIds(): Promise<(string | undefined)[]> {
  return (await queuedJobs(services, soakProposalJob)).map((job) => job.id);
}

function nockOpening(): void {
  nockGetVersion({ version: "42" });
  nockRunMetrics("run42", { accuracy: 0.934, latency_p99_ms: 1510 });
  nockAlias({ alias: "staging", version: "41" });
  nockRunMetrics("run41", { accuracy: 0.91, latency_p99_ms: 1800 });
}

describe("soak proposal", () => {
  it("queues a job for a version that soaked", async () => {
    await liveInDev("42", 25);

    await proposeSoakedVersions(services);
    await proposeSoakedVersions(services);

    expect(await proposalIds()).toEqual([
      `soak-proposal.${MODEL.replace(":", ".")}.42.staging`,
    ]);
    expect((await queuedJobs(services, soakProposalJob))[0]?.data).toEqual(
      PROPOSAL,
    );
  });

  it("waits for the soak time", async () => {
    await liveInDev("42", 3);

    await proposeSoakedVersions(services);

    expect(await proposalIds()).toEqual([]);
  });

  it("opens the promotion as Gantry, once", async () => {
    await liveInDev("42", 25);
    nockOpening();

    await soakProposalJob.process(PROPOSAL, services, JOB);
    await soakProposalJob.process(PROPOSAL, services, JOB);
    await proposeSoakedVersions(services);

    const [promotion, ...others] = await services.store.listByStatus(MODEL, [
      "pending_approval",
    ]);
    expect(others).toEqual([]);
    expect(promotion).toMatchObject({
      version: "42",
      environment: "staging",
      requestedBy: "gantry",
      championVersion: "41",
    });
    expect((await queuedJobs(services, slackCardJob)).map((j) => j.id)).toEqual(
      [`card.${promotion?.id}.created`],
    );
    expect(await proposalIds()).toEqual([]);
  });

  it("never proposes a version twice", async () => {
    await liveInDev("42", 25);
    nockOpening();
    await soakProposalJob.process(PROPOSAL, services, JOB);
    const [promotion] = await services.store.listByStatus(MODEL, [
      "pending_approval",
    ]);
    await services.store.transition({
      id: promotion?.id ?? "",
      from: ["pending_approval"],
      to: "rejected",
      actor: "U0MLLEAD1",
      reason: "not this week",
    });

    await proposeSoakedVersions(services);
    await soakProposalJob.process(PROPOSAL, services, JOB);

    expect(await proposalIds()).toEqual([]);
    expect(
      await services.store.listByStatus(MODEL, ["pending_approval"]),
    ).toEqual([]);
  });

  it("proposes nothing into a held environment", async () => {
    await liveInDev("42", 25);
    await holdEnvironment(services, {
      model: MODEL,
      environment: "staging",
      promotionId: "prm_rolledback",
      version: "40",
      actor: "gantry",
      reason: "health check failed",
    });

    await proposeSoakedVersions(services);
    await soakProposalJob.process(PROPOSAL, services, JOB);

    expect(await proposalIds()).toEqual([]);
    expect(
      await services.store.listByStatus(MODEL, ["pending_approval"]),
    ).toEqual([]);
  });

  it("proposes nothing once the version is there", async () => {
    await liveInDev("42", 25);
    await services.redis.hset(
      keys.succeeded(MODEL, "staging"),
      "42",
      new Date().toISOString(),
    );

    await proposeSoakedVersions(services);

    expect(await proposalIds()).toEqual([]);
  });
});
