import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { promotionExpiryJob } from "../../jobs/promotion-expiry.js";
import {
  protectionRuleRequestJob,
  type ProtectionRuleRequestData,
} from "../../jobs/protection-rule-request.js";
import type { Services } from "../../src/services.js";
import { buttonClick, testBolt } from "../helpers/bolt.js";
import { nockAlias } from "../helpers/mlflow-nock.js";
import { useRedis } from "../helpers/redis.js";
import {
  INSTALLATION_ID,
  REPO,
  repoConfig,
  SAMPLE_CONFIG,
} from "../helpers/repo-config.js";
import {
  GITHUB_API,
  nockInstallationToken,
  testServices,
} from "../helpers/services.js";

const { url } = useRedis();
const CALLBACK_PATH =
  "/repos/example-user/Hello-World/actions/runs/289782451/deployment_protection_rule";

let services: Services;
let close: () => Promise<void>;

beforeEach(() => {
  ({ services, close } = testServices(url));
});

afterEach(async () => {
  await close();
});

function request(
  overrides: Partial<ProtectionRuleRequestData> = {},
): ProtectionRuleRequestData {
  return {
    deliveryId: "d-1",
    repo: REPO,
    installationId: INSTALLATION_ID,
    environment: "production",
    callbackUrl: `${GITHUB_API}${CALLBACK_PATH}`,
    sha: "f95f852bd8fca8fcc58a9a2d6c842781e32a215e",
    workflowRunId: 289782451,
    model: undefined,
    version: undefined,
    sender: "example-user",
    ...overrides,
  };
}

/** Intercepts GitHub's protection rule callback and records the answer it received. */
function nockCallback(): { answers: Record<string, unknown>[] } {
  const answers: Record<string, unknown>[] = [];
  nockInstallationToken(INSTALLATION_ID);
  nock(GITHUB_API)
    .post(CALLBACK_PATH)
    .reply(204, (_uri, body) => {
      answers.push(body as Record<string, unknown>);
      return "";
    });
  return { answers };
}

async function configure(): Promise<void> {
  await services.registry.storeRepo({
    repo: REPO,
    installationId: INSTALLATION_ID,
    config: repoConfig(SAMPLE_CONFIG),
  });
}

describe("protectionRuleRequestJob", () => {
  it("rejects a repository without models", async () => {
    const { answers } = nockCallback();

    await protectionRuleRequestJob.process(request(), services, {} as never);

    expect(answers).toEqual([
      {
        environment_name: "production",
        state: "rejected",
        comment:
          "Gantry: example-user/Hello-World has no Gantry model configured in .github/gantry.yml",
      },
    ]);
  });

  it("opens a card for the commit", async () => {
    await configure();
    nockAlias({ alias: "production" });

    await protectionRuleRequestJob.process(request(), services, {} as never);

    const [promotion] = await services.store.listByStatus(`${REPO}:churn`, [
      "pending_approval",
    ]);
    expect(promotion?.kind).toBe("protection_rule");
    expect(promotion?.version).toBe("f95f852");
    expect(promotion?.requestedBy).toBe("github:example-user");
    expect(promotion?.requiredApprovals).toBe(2);
    const expiry = await services.queues
      .queue("{promotion-expiry}")
      .getJob(`expire.${promotion?.id ?? ""}`);
    expect(expiry?.opts.delay).toBe(24 * 3_600_000);
  });

  it("answers approved once approvals are in", async () => {
    await configure();
    nockAlias({ alias: "production" });
    await protectionRuleRequestJob.process(request(), services, {} as never);
    const [promotion] = await services.store.listByStatus(`${REPO}:churn`, [
      "pending_approval",
    ]);
    if (!promotion) throw new Error("no promotion opened");
    await services.store.approve(promotion.id, "U0RELMGR");
    nock("https://slack.com")
      .post("/api/usergroups.users.list")
      .reply(200, { ok: true, users: ["U0LEAD001"] });
    const { answers } = nockCallback();

    await testBolt(services).dispatch(
      buttonClick({
        action: "promotion_approve",
        promotionId: promotion.id,
        user: "U0LEAD001",
      }),
    );

    expect(answers).toEqual([
      {
        environment_name: "production",
        state: "approved",
        comment: `Approved in Slack through Gantry (${promotion.id})`,
      },
    ]);
    expect((await services.store.get(promotion.id))?.status).toBe("succeeded");
  });

  it("answers rejected when approval times out", async () => {
    await configure();
    nockAlias({ alias: "production" });
    await protectionRuleRequestJob.process(request(), services, {} as never);
    const [promotion] = await services.store.listByStatus(`${REPO}:churn`, [
      "pending_approval",
    ]);
    if (!promotion) throw new Error("no promotion opened");
    const { answers } = nockCallback();

    await promotionExpiryJob.process(
      { promotionId: promotion.id },
      services,
      {} as never,
    );

    expect(answers[0]?.state).toBe("rejected");
    expect(answers[0]?.comment).toBe(
      "Gantry: no approval before the approval timeout",
    );
    expect((await services.store.get(promotion.id))?.status).toBe("expired");
  });

  it("answers rejected when it gives up", async () => {
    const { answers } = nockCallback();

    await protectionRuleRequestJob.giveUp?.(
      request(),
      new Error("Slack answered 500"),
      services,
    );

    expect(answers[0]?.comment).toBe(
      "Gantry: Gantry could not ask for approval: Slack answered 500",
    );
  });

  it("never calls a callback on another host", async () => {
    await protectionRuleRequestJob.process(
      request({ callbackUrl: "http://169.254.169.254/latest/meta-data" }),
      services,
      {} as never,
    );

    expect(nock.pendingMocks()).toEqual([]);
  });
});
