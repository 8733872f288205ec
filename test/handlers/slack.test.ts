import { beforeEach, describe, expect, it, vi } from "vitest";
import { deploymentJob } from "../../jobs/deployment.js";
import { promotionRequestJob } from "../../jobs/promotion-request.js";
import { slackCardJob } from "../../jobs/slack-card.js";
import { PROMOTE_USAGE } from "../../handlers/slack/commands/promote-arguments.js";
import { readFixture, readJsonFixture } from "../../scripts/fixtures.js";
import { slackHeaders } from "../../scripts/signing.js";
import type { Promotion } from "../../src/promotion.js";
import type { NewPromotion } from "../../src/store/promotion-store.js";
import { rejectReasonModal } from "../../templates/reject-reason-modal.js";
import { useGantryServer } from "../helpers/gantry-server.js";
import { newPromotion } from "../helpers/promotions.js";
import { REPO, storeSampleConfig } from "../helpers/repo-config.js";
import { queuedJobs } from "../helpers/services.js";
import { SIGNING_SECRET } from "../helpers/settings.js";
import {
  nockResponseUrl,
  nockSlackMethod,
  nockUsergroupsUsersList,
  type SlackCall,
} from "../helpers/slack-api.js";

const { server } = useGantryServer();

const COMMAND = new URLSearchParams(
  readFixture("slack/slash_command.promote.txt"),
);
const TRIGGER_ID = COMMAND.get("trigger_id") ?? "";
/** The fields of Slack's block_actions payload that the tests change or read. */
type ButtonClick = Record<string, unknown> & {
  user: { id: string };
  actions: { value: string }[];
  response_url: string;
  trigger_id: string;
};

const APPROVE = readJsonFixture<ButtonClick>(
  "slack/block_actions.approve.json",
);
const REJECT = readJsonFixture<ButtonClick>("slack/block_actions.reject.json");

beforeEach(async () => {
  await storeSampleConfig(server().services.registry);
});

/** Posts a body to /slack/events, signed now with the test signing secret. */
async function sendToSlackEndpoint(
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${server().url}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...slackHeaders(body, SIGNING_SECRET),
      ...headers,
    },
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** Sends the fixture's /promote with other text. */
function promote(text: string, headers: Record<string, string> = {}) {
  const form = new URLSearchParams(COMMAND);
  form.set("text", text);
  return sendToSlackEndpoint(form.toString(), headers);
}

/** Sends an interaction payload as Slack does: one form field, `payload`. */
function interact(payload: unknown) {
  return sendToSlackEndpoint(
    `payload=${encodeURIComponent(JSON.stringify(payload))}`,
  );
}

/** Returns the fixture's button click, by `user`, on the promotion's card. */
function click(
  fixture: ButtonClick,
  promotionId: string,
  user = "U0000001",
): ButtonClick {
  const payload = structuredClone(fixture);
  payload.user.id = user;
  payload.actions = [{ ...payload.actions[0], value: promotionId }];
  return payload;
}

async function storedPromotion(
  overrides: Partial<NewPromotion>,
): Promise<Promotion> {
  const { promotion } = await server().services.store.create(
    newPromotion(overrides),
    `slack:trigger-${Math.random()}`,
  );
  return promotion;
}

/** Polls until the check passes: Bolt acknowledges before its listener ends. */
function eventually(check: () => Promise<void>): Promise<void> {
  return vi.waitFor(check, { timeout: 5000, interval: 20 });
}

describe("/promote", () => {
  it.each([
    {
      case: "bad arguments",
      text: "churn 42",
      error:
        "/promote needs 3 arguments (model, version, environment) but got 2: `churn 42`.",
    },
    {
      case: "an unknown model",
      text: "chrun 42 staging",
      error: "Unknown model `chrun`. Did you mean `churn`?",
    },
    {
      case: "an unknown environment",
      text: "churn 42 stagng",
      error:
        "`stagng` is not an environment of churn; its environments are `dev`, `staging`, `production`. Did you mean `staging`?",
    },
    {
      case: "an invalid version",
      text: "churn v42! staging",
      error:
        "Invalid version `v42!`; use the version number the model registry shows, for example 42.",
    },
  ])("answers $case with the usage", async ({ text, error }) => {
    const response = await promote(text);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      response_type: "ephemeral",
      text: `${error}\n${PROMOTE_USAGE}`,
    });
    expect(await queuedJobs(server().services, promotionRequestJob)).toEqual(
      [],
    );
  });

  it("queues a valid request", async () => {
    const response = await promote("churn 42 staging");

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      response_type: "ephemeral",
      text: "Checking churn version 42 in the model registry before opening a promotion to staging…",
    });
    expect(await queuedJobs(server().services, promotionRequestJob)).toEqual([
      {
        id: `promote.${TRIGGER_ID}`,
        data: {
          modelKey: `${REPO}:churn`,
          version: "42",
          environment: "staging",
          requestedBy: "U0000001",
          sourceChannel: "C0000001",
          responseUrl: COMMAND.get("response_url"),
          requestKey: `slack:${TRIGGER_ID}`,
          plan: false,
        },
      },
    ]);
  });

  it("reads a form with a charset", async () => {
    const response = await promote("churn 42", {
      "content-type": "application/x-www-form-urlencoded; charset=utf-8",
    });

    expect(response.status).toBe(200);
    expect(response.body.text).toMatch(/^\/promote needs 3 arguments/);
  });

  it("queues a Slack retry once", async () => {
    await promote("churn 42 staging");

    const retry = await promote("churn 42 staging", {
      "x-slack-retry-num": "1",
      "x-slack-retry-reason": "http_timeout",
    });

    expect(retry.status).toBe(200);
    expect(retry.body.response_type).toBe("ephemeral");
    expect(
      await queuedJobs(server().services, promotionRequestJob),
    ).toHaveLength(1);
  });

  it("rejects a bad signature with 401", async () => {
    const form = new URLSearchParams(COMMAND).toString();

    const response = await sendToSlackEndpoint(
      form,
      slackHeaders(form, "another-signing-secret"),
    );

    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      error: "X-Slack-Signature does not match the request body",
    });
    expect(await server().services.redis.keys("bull:*")).toEqual([]);
  });

  it("rejects a stale request with 401", async () => {
    const form = new URLSearchParams(COMMAND).toString();
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 360;

    const response = await sendToSlackEndpoint(
      form,
      slackHeaders(form, SIGNING_SECRET, sixMinutesAgo),
    );

    expect(response.status).toBe(401);
    expect(await server().services.redis.keys("bull:*")).toEqual([]);
  });

  it("rejects a payload that is not JSON with 400", async () => {
    const response = await sendToSlackEndpoint("payload=%7Bnot-json");

    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error:
        "form field `payload` must be a JSON object with a string field `type`",
    });
  });
});

describe("Approve button", () => {
  it("rejects a non-approver", async () => {
    const promotion = await storedPromotion({
      requestedBy: "U0000009",
      approvers: ["U0000002", "S0MLLEADS"],
    });
    nockUsergroupsUsersList("S0MLLEADS", ["U0MLLEAD1", "U0MLLEAD2"]);
    const replies: unknown[] = [];
    nockResponseUrl(APPROVE.response_url, replies);

    const response = await interact(click(APPROVE, promotion.id));

    expect(response.status).toBe(200);
    await eventually(async () => expect(replies).toHaveLength(1));
    expect(replies[0]).toEqual({
      response_type: "ephemeral",
      replace_original: false,
      text: "You are not an approver for staging; approvers are <@U0000002>, <!subteam^S0MLLEADS>. Nothing was changed.",
    });
    expect(await server().services.store.approvals(promotion.id)).toEqual([]);
    expect(await server().services.store.get(promotion.id)).toEqual(promotion);
  });

  it("rejects the requester", async () => {
    const promotion = await storedPromotion({
      requestedBy: "U0000001",
      approvers: ["U0000001", "U0000002"],
    });
    const replies: unknown[] = [];
    nockResponseUrl(APPROVE.response_url, replies);

    await interact(click(APPROVE, promotion.id));

    await eventually(async () => expect(replies).toHaveLength(1));
    expect(replies[0]).toMatchObject({
      response_type: "ephemeral",
      text: "You requested this promotion, so you cannot approve it; another approver must.",
    });
    expect(await server().services.store.approvals(promotion.id)).toEqual([]);
  });

  it("counts a member of an approver group", async () => {
    const promotion = await storedPromotion({
      requestedBy: "U0000009",
      approvers: ["S0MLLEADS"],
      requiredApprovals: 2,
    });
    nockUsergroupsUsersList("S0MLLEADS", ["U0000001", "U0MLLEAD2"]);

    await interact(click(APPROVE, promotion.id));

    await eventually(async () =>
      expect(await queuedJobs(server().services, slackCardJob)).toEqual([
        {
          id: `card.${promotion.id}.approval.U0000001`,
          data: {
            promotionId: promotion.id,
            note: { kind: "approval", user: "U0000001", count: 1, required: 2 },
          },
        },
      ]),
    );
    const { store } = server().services;
    expect(await store.approvals(promotion.id)).toEqual(["U0000001"]);
    expect((await store.get(promotion.id))?.status).toBe("pending_approval");
    expect(await queuedJobs(server().services, deploymentJob)).toEqual([]);
  });

  it("queues the deployment once at the count", async () => {
    const promotion = await storedPromotion({
      requestedBy: "U0000009",
      approvers: ["S0MLLEADS"],
      requiredApprovals: 1,
    });
    nockUsergroupsUsersList("S0MLLEADS", ["U0000001"]);
    const replies: { text?: string }[] = [];
    nockResponseUrl(APPROVE.response_url, replies);

    await interact(click(APPROVE, promotion.id));
    await eventually(async () =>
      expect(await queuedJobs(server().services, slackCardJob)).toHaveLength(1),
    );
    await interact(click(APPROVE, promotion.id));
    await eventually(async () => expect(replies).toHaveLength(1));

    expect(replies[0]?.text).toBe(
      "This promotion is approved, so it takes no more approvals.",
    );
    expect((await server().services.store.get(promotion.id))?.status).toBe(
      "approved",
    );
    expect(await queuedJobs(server().services, deploymentJob)).toEqual([
      { id: `deploy.${promotion.id}`, data: { promotionId: promotion.id } },
    ]);
  });
});

describe("Reject button", () => {
  it("opens the reason modal", async () => {
    const promotion = await storedPromotion({
      requestedBy: "U0000009",
      approvers: ["U0000001"],
    });
    const calls: SlackCall[] = [];
    nockSlackMethod(
      "views.open",
      { ok: true, view: { id: "V0000002" } },
      calls,
    );

    const response = await interact(click(REJECT, promotion.id));

    expect(response.status).toBe(200);
    await eventually(async () => expect(calls).toHaveLength(1));
    expect(calls[0]?.trigger_id).toBe(REJECT.trigger_id);
    expect(JSON.parse(calls[0]?.view ?? "{}")).toEqual(
      rejectReasonModal(promotion),
    );
  });

  it("blocks an outsider's rejection", async () => {
    const promotion = await storedPromotion({
      requestedBy: "U0000009",
      approvers: ["U0000002"],
    });
    const replies: { text?: string }[] = [];
    nockResponseUrl(REJECT.response_url, replies);

    await interact(click(REJECT, promotion.id));

    await eventually(async () => expect(replies).toHaveLength(1));
    expect(replies[0]?.text).toBe(
      "Only approvers for staging or the requester may reject this promotion. Nothing was changed.",
    );
  });
});

describe("Reject reason modal", () => {
  /** Builds the documented view_submission that the reject modal sends. */
  function submission(
    promotion: Promotion,
    reason: string,
  ): Record<string, unknown> {
    const payload = readJsonFixture<Record<string, any>>(
      "slack/view_submission.retrain.json",
    );
    const modal = rejectReasonModal(promotion);
    payload.view = {
      ...payload.view,
      callback_id: modal.callback_id,
      private_metadata: modal.private_metadata,
      blocks: modal.blocks,
      state: {
        values: {
          reason_block: {
            reason_input: { type: "plain_text_input", value: reason },
          },
        },
      },
    };
    return payload;
  }

  it("rejects the promotion with the reason", async () => {
    const promotion = await storedPromotion({ requestedBy: "U0000009" });

    const response = await interact(
      submission(promotion, "  p99 latency regressed on the canary  "),
    );

    expect(response.status).toBe(200);
    await eventually(async () =>
      expect(await queuedJobs(server().services, slackCardJob)).toHaveLength(1),
    );
    expect(await server().services.store.get(promotion.id)).toMatchObject({
      status: "rejected",
      reason: "p99 latency regressed on the canary",
    });
    expect(await queuedJobs(server().services, slackCardJob)).toEqual([
      {
        id: `card.${promotion.id}.rejected`,
        data: {
          promotionId: promotion.id,
          note: {
            kind: "rejected",
            user: "U0000001",
            reason: "p99 latency regressed on the canary",
          },
        },
      },
    ]);
  });

  it("asks again for a reason too short", async () => {
    const promotion = await storedPromotion({ requestedBy: "U0000009" });

    const response = await interact(submission(promotion, " no "));

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      response_action: "errors",
      errors: { reason_block: "Give a reason of at least 3 characters." },
    });
    expect((await server().services.store.get(promotion.id))?.status).toBe(
      "pending_approval",
    );
  });
});
