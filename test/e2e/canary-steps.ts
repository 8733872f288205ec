import type { Redis } from "ioredis";
import {
  GANTRY_YML,
  type Harness,
  type OpenedPromotion,
} from "../../scripts/harness.js";
import type { StoredDeployment } from "../../scripts/stand-ins/github-stand-in.js";
import { SlackStandIn } from "../../scripts/stand-ins/slack-stand-in.js";
import type { RecordedRequest } from "../../scripts/stand-ins/stand-in-server.js";
import { keys } from "../../src/store/keys.js";
import { sendDeploymentStatus } from "./use-gantry.js";

export const MODEL = "example-user/Hello-World:churn";
/** The one production approver in CANARY_YML. */
export const RELEASE_MANAGER = "U0RELMGR";
export const STEPS = [5, 25, 50, 100];

/**
 * The harness's configuration with a production canary that bakes each
 * step for 2 s, checks health every second and rolls back a step that
 * takes longer than 20 s.
 */
export const CANARY_YML = replaceProduction(GANTRY_YML);

function replaceProduction(yml: string): string {
  const replaced = yml.replace(
    /  production:\n[\s\S]*?(?=jira:)/,
    `  production:
    after: staging
    approvals: 1
    approvers: [${RELEASE_MANAGER}]
    canary: [${STEPS.join(", ")}]
    bake: 2s
    health_interval: 1s
    step_timeout: 20s
    health: 'sum(rate(http_requests_total{model="churn",code=~"5.."}[5m])) / sum(rate(http_requests_total{model="churn"}[5m])) < 0.02'
`,
  );
  if (replaced === yml)
    throw new Error("GANTRY_YML has no production environment to replace");
  return replaced;
}

/**
 * Records in Redis that version 41 went through production before, and so
 * is the rollback target, and that 42 succeeded in staging an hour ago, so
 * production's stage order admits it.
 */
export async function seedProduction(
  redis: Redis,
  harness: Harness,
): Promise<void> {
  const at = new Date(Date.now() - 3_600_000).toISOString();
  await redis
    .multi()
    .hset(keys.succeeded(MODEL, "staging"), "42", at)
    .hset(keys.succeeded(MODEL, "production"), "41", at)
    .hset(keys.live(MODEL, "production"), {
      version: "41",
      promotionId: "prm_seed41",
      at,
    })
    .rpush(
      keys.releaseHistory(MODEL, "production"),
      JSON.stringify({ version: "41", promotionId: "prm_seed41", at }),
    )
    .exec();
  harness.mlflow.aliases.set("churn-model/production", "41");
}

/** Opens churn 42 to production with /promote and approves it as the release manager. */
export async function approveProductionCanary(
  harness: Harness,
): Promise<OpenedPromotion> {
  const opened = await harness.openPromotion({ text: "churn 42 production" });
  await harness.pressButton({
    action: "promotion_approve",
    promotionId: opened.promotionId,
    user: RELEASE_MANAGER,
    messageTs: opened.ts,
  });
  return opened;
}

function payloadOf(request: RecordedRequest): Record<string, unknown> {
  return (request.body as { payload?: Record<string, unknown> }).payload ?? {};
}

/** Returns the createDeployment calls that carry a promotion's id. */
export function deploymentsOf(
  harness: Harness,
  promotionId: string,
): RecordedRequest[] {
  return harness.github
    .callsTo("repos.createDeployment")
    .filter((request) => payloadOf(request).promotion_id === promotionId);
}

/** Waits until the GitHub stand-in created a promotion's deployment at a traffic share. */
export async function stepDeployment(
  harness: Harness,
  promotionId: string,
  percent: number,
): Promise<StoredDeployment> {
  await harness.github.waitFor(
    (request) =>
      request.route === "repos.createDeployment" &&
      request.reply !== undefined &&
      payloadOf(request).promotion_id === promotionId &&
      payloadOf(request).traffic_percent === percent,
    20_000,
    `the ${percent} % deployment of ${promotionId}`,
  );
  const deployment = harness.github.deployments.find(
    (candidate) =>
      candidate.payload.promotion_id === promotionId &&
      candidate.payload.traffic_percent === percent,
  );
  if (!deployment) throw new Error(`no ${percent} % deployment stored`);
  return deployment;
}

/** Plays the deploy workflow for each share in turn: waits for its deployment and reports success. */
export async function walkSteps(
  harness: Harness,
  promotionId: string,
  percents: readonly number[],
): Promise<StoredDeployment[]> {
  const deployments: StoredDeployment[] = [];
  for (const percent of percents) {
    const deployment = await stepDeployment(harness, promotionId, percent);
    await sendDeploymentStatus(harness, { deployment, state: "success" });
    deployments.push(deployment);
  }
  return deployments;
}

/** Returns the texts of the replies in a card's thread. */
export function threadTexts(
  harness: Harness,
  opened: OpenedPromotion,
): string[] {
  return harness.slack
    .callsTo("chat.postMessage")
    .filter((request) => SlackStandIn.threadTs(request) === opened.ts)
    .map((request) => SlackStandIn.text(request));
}

/** Waits for the rollback promotion that replaced a promotion, and returns its id. */
export async function rollbackOf(
  harness: Harness,
  promotionId: string,
): Promise<string> {
  const record = await harness.waitForLogRecord(
    "rollback started",
    { rollbackOf: promotionId },
    30_000,
  );
  return String(record.promotionId);
}
