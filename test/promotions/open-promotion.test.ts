import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ModelEntry } from "../../src/config/config-registry.js";
import { acquireLock } from "../../src/environment-locks.js";
import { freezeEnvironment } from "../../src/environment-freezes.js";
import { openPromotion } from "../../src/promotions/open-promotion.js";
import type { Services } from "../../src/services.js";
import {
  nockAlias,
  nockGetVersion,
  nockRunMetrics,
} from "../helpers/mlflow-nock.js";
import { useRedis } from "../helpers/redis.js";
import {
  INSTALLATION_ID,
  REPO,
  repoConfig,
  SAMPLE_CONFIG,
} from "../helpers/repo-config.js";
import { testServices } from "../helpers/services.js";

const { url } = useRedis();

const CONFIG = SAMPLE_CONFIG.replace(
  "staging: { after: dev, soak: 24h, approvals: 1, approvers: [S0MLLEADS] }",
  "staging: { after: dev, soak: 24h, approvals: 1, approvers: [S0MLLEADS], approval_timeout: 2h }",
);

let services: Services;
let close: () => Promise<void>;
let entry: ModelEntry;

beforeEach(async () => {
  ({ services, close } = testServices(url));
  await services.registry.storeRepo({
    repo: REPO,
    installationId: INSTALLATION_ID,
    config: repoConfig(CONFIG),
  });
  const found = await services.registry.entry(`${REPO}:churn`);
  if (!found) throw new Error("test model not indexed");
  entry = found;
});

afterEach(async () => {
  await close();
});

/** Answers the registry calls that opening churn VERSION into an environment makes. */
function nockRegistry(
  version: string,
  environment: string,
  live?: string,
): void {
  nockGetVersion({ version });
  nockRunMetrics(`run${version}`, { accuracy: 0.934 });
  nockAlias({ alias: environment, version: live });
  if (live) nockRunMetrics(`run${live}`, { accuracy: 0.91 });
}

async function markSucceeded(
  version: string,
  environment: string,
  at: Date,
): Promise<void> {
  await services.redis.hset(
    `gantry:{gantry}:succeeded:${REPO}:churn:${environment}`,
    version,
    at.toISOString(),
  );
}

function request(version: string, environment: string, requestKey: string) {
  return {
    entry,
    version,
    environment,
    requestedBy: "U0000001",
    fallbackChannel: "C0000001",
    requestKey,
  };
}

describe("openPromotion", () => {
  it("reports a version the registry lacks", async () => {
    nockGetVersion({ version: "99", found: false });

    const outcome = await openPromotion(services, request("99", "dev", "k1"));

    expect(outcome).toEqual({
      outcome: "version_not_found",
      registryName: "churn-model",
    });
  });

  it("opens into the first environment", async () => {
    nockRegistry("42", "dev");

    const outcome = await openPromotion(services, request("42", "dev", "k2"));

    expect(outcome.outcome).toBe("opened");
    if (outcome.outcome !== "opened") return;
    expect((await services.store.get(outcome.promotion.id))?.status).toBe(
      "approved",
    );
    expect(outcome.promotion.versionIdentity).toBe(
      "run42|models:/churn-model/42",
    );
    expect(outcome.promotion.metrics).toEqual({ accuracy: 0.934 });
    const deployJobs = await services.queues
      .queue("{deployments}")
      .getJobs(["waiting", "delayed", "active"]);
    expect(deployJobs.map((job) => job.id)).toEqual([
      `deploy.${outcome.promotion.id}`,
    ]);
  });

  it("blocks a version that skipped the previous stage", async () => {
    nockRegistry("42", "staging", "41");

    const outcome = await openPromotion(
      services,
      request("42", "staging", "k3"),
    );

    expect(outcome.outcome).toBe("blocked");
    if (outcome.outcome !== "blocked") return;
    expect(outcome.blockers.map((blocker) => blocker.code)).toEqual([
      "stage_order",
    ]);
    expect(outcome.blockers[0]?.fix).toBe(
      "promote it to dev first: /promote churn 42 dev",
    );
  });

  it("blocks a version still soaking", async () => {
    nockRegistry("42", "staging", "41");
    await markSucceeded("42", "dev", new Date(Date.now() - 3 * 3_600_000));

    const outcome = await openPromotion(
      services,
      request("42", "staging", "k4"),
    );

    expect(outcome.outcome).toBe("blocked");
    if (outcome.outcome !== "blocked") return;
    expect(outcome.blockers[0]?.code).toBe("soaking");
    expect(outcome.blockers[0]?.message).toMatch(
      /^version 42 has been in dev for 3h\d*m?\d*s? of the 24h soak time$/,
    );
  });

  it("opens after the soak with an expiry", async () => {
    nockRegistry("42", "staging", "41");
    await markSucceeded("42", "dev", new Date(Date.now() - 25 * 3_600_000));

    const outcome = await openPromotion(
      services,
      request("42", "staging", "k5"),
    );

    expect(outcome.outcome).toBe("opened");
    if (outcome.outcome !== "opened") return;
    expect(outcome.promotion.championVersion).toBe("41");
    const expiry = await services.queues
      .queue("{promotion-expiry}")
      .getJob(`expire.${outcome.promotion.id}`);
    expect(expiry?.opts.delay).toBe(2 * 3_600_000);
    expect(await expiry?.isDelayed()).toBe(true);
  });

  it("supersedes an older pending promotion", async () => {
    await markSucceeded("42", "dev", new Date(Date.now() - 25 * 3_600_000));
    await markSucceeded("43", "dev", new Date(Date.now() - 25 * 3_600_000));
    nockRegistry("42", "staging", "41");
    const first = await openPromotion(services, request("42", "staging", "k6"));
    nockRegistry("43", "staging", "41");

    const second = await openPromotion(
      services,
      request("43", "staging", "k7"),
    );

    if (first.outcome !== "opened" || second.outcome !== "opened")
      throw new Error("both should open");
    const older = await services.store.get(first.promotion.id);
    expect(older?.status).toBe("cancelled");
    expect(older?.supersededBy).toBe(second.promotion.id);
    expect(older?.reason).toBe(
      `superseded by ${second.promotion.id} (version 43)`,
    );
    expect((await services.store.get(second.promotion.id))?.status).toBe(
      "pending_approval",
    );
  });

  it("opens once for a repeated request", async () => {
    nockRegistry("42", "dev");
    const first = await openPromotion(services, request("42", "dev", "k8"));
    nockRegistry("42", "dev");

    const second = await openPromotion(services, request("42", "dev", "k8"));

    if (first.outcome !== "opened" || second.outcome !== "opened")
      throw new Error("both should open");
    expect(second.created).toBe(false);
    expect(second.promotion.id).toBe(first.promotion.id);
  });

  it("turns a frozen environment away", async () => {
    nockRegistry("42", "dev");
    await freezeEnvironment(services, {
      environment: "dev",
      durationMs: 3_600_000,
      reason: "quarter close",
      user: "U0RELMGR",
    });

    const outcome = await openPromotion(services, request("42", "dev", "k9"));

    expect(outcome.outcome).toBe("blocked");
    if (outcome.outcome !== "blocked") return;
    expect(outcome.blockers.map((blocker) => blocker.code)).toEqual(["frozen"]);
    expect(outcome.blockers[0]?.message).toMatch(
      /^dev is frozen until \d{4}-\d\d-\d\dT.*: quarter close$/,
    );
  });

  it("lets an approver break a freeze, audited", async () => {
    nockRegistry("42", "dev");
    await freezeEnvironment(services, {
      environment: "dev",
      durationMs: 3_600_000,
      reason: "quarter close",
      user: "U0RELMGR",
    });

    const outcome = await openPromotion(services, {
      ...request("42", "dev", "k10"),
      breakFreezeReason: "hotfix for INC-7",
    });

    expect(outcome.outcome).toBe("opened");
    const audit = await services.redis.xrange(
      `gantry:{gantry}:audit:${REPO}:churn`,
      "-",
      "+",
    );
    expect(JSON.stringify(audit)).toContain("hotfix for INC-7");
  });

  it("turns away a lock held by someone else", async () => {
    nockRegistry("42", "dev");
    nockRegistry("42", "dev");
    await acquireLock(services, {
      environment: "dev",
      owner: "U0OTHER01",
      reason: "release train",
      durationMs: 3_600_000,
      channel: "C0000001",
    });

    const blocked = await openPromotion(services, request("42", "dev", "k11"));
    const holder = await openPromotion(services, {
      ...request("42", "dev", "k12"),
      requestedBy: "U0OTHER01",
    });

    expect(blocked.outcome).toBe("blocked");
    if (blocked.outcome === "blocked")
      expect(blocked.blockers[0]?.fix).toBe(
        "ask <@U0OTHER01> to run /gantry unlock dev",
      );
    expect(holder.outcome).toBe("opened");
  });
});
