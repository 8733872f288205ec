import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { slackCardJob } from "../../jobs/slack-card.js";
import type { Promotion } from "../../src/promotion.js";
import type { Services } from "../../src/services.js";
import { approvalCard } from "../../templates/approval-card.js";
import { newPromotion } from "../helpers/promotions.js";
import { useRedis } from "../helpers/redis.js";
import { testServices } from "../helpers/services.js";
import {
  nockChatPostMessage,
  nockChatUpdate,
  SLACK_API,
  type SlackCall,
} from "../helpers/slack-api.js";

const TS = "1715679100.000100";
const JOB = {} as never;

const { url } = useRedis();
let services: Services;
let close: () => Promise<void>;

beforeEach(() => {
  ({ services, close } = testServices(url));
});

afterEach(async () => {
  await close();
});

async function storedPromotion(
  overrides: Parameters<typeof newPromotion>[0] = {},
): Promise<Promotion> {
  const { promotion } = await services.store.create(
    newPromotion(overrides),
    `slack:trigger-${Math.random()}`,
  );
  return promotion;
}

/** Stores a promotion whose card was already posted at TS. */
async function postedPromotion(): Promise<Promotion> {
  const promotion = await storedPromotion();
  await services.store.setFields(promotion.id, { messageTs: TS });
  return { ...promotion, messageTs: TS };
}

describe("slackCardJob", () => {
  it("posts the card and stores its ts", async () => {
    const promotion = await storedPromotion();
    const posts: SlackCall[] = [];
    nockChatPostMessage(posts, { ts: TS, channel: "C0RELEASES" });

    await slackCardJob.process({ promotionId: promotion.id }, services, JOB);

    const card = approvalCard({ promotion, approvedBy: [] });
    expect(posts).toEqual([
      {
        channel: "C0RELEASES",
        text: card.text,
        blocks: JSON.stringify(card.blocks),
      },
    ]);
    expect(await services.store.get(promotion.id)).toMatchObject({
      messageTs: TS,
      channel: "C0RELEASES",
      rev: promotion.rev,
    });
  });

  it("stores the channel id Slack answers with", async () => {
    const promotion = await storedPromotion({ channel: "#ml-releases" });
    nockChatPostMessage([], { ts: TS, channel: "C0RELEASES" });

    await slackCardJob.process({ promotionId: promotion.id }, services, JOB);

    expect((await services.store.get(promotion.id))?.channel).toBe(
      "C0RELEASES",
    );
  });

  it("updates a posted card in place", async () => {
    const promotion = await postedPromotion();
    await services.store.approve(promotion.id, "U0000002");
    const updates: SlackCall[] = [];
    nockChatUpdate(updates);

    await slackCardJob.process({ promotionId: promotion.id }, services, JOB);

    const newest = await services.store.get(promotion.id);
    if (!newest) throw new Error("promotion missing");
    const card = approvalCard({ promotion: newest, approvedBy: ["U0000002"] });
    expect(updates).toEqual([
      {
        channel: "C0RELEASES",
        ts: TS,
        text: card.text,
        blocks: JSON.stringify(card.blocks),
      },
    ]);
    expect(updates[0]?.blocks).toContain("1 of 2, 1 more needed (<@U0000002>)");
  });

  it("adds a note to the card's thread", async () => {
    const promotion = await postedPromotion();
    nockChatUpdate([]);
    const posts: SlackCall[] = [];
    nockChatPostMessage(posts);

    await slackCardJob.process(
      {
        promotionId: promotion.id,
        note: { kind: "approval", user: "U0000002", count: 1, required: 2 },
      },
      services,
      JOB,
    );

    expect(posts).toEqual([
      {
        channel: "C0RELEASES",
        thread_ts: TS,
        text: ":ballot_box_with_check: <@U0000002> approved (1 of 2).",
        unfurl_links: "false",
      },
    ]);
  });

  it("posts the card before its first note", async () => {
    const promotion = await storedPromotion();
    const posts: SlackCall[] = [];
    nockChatPostMessage(posts, { ts: TS });
    nockChatPostMessage(posts, { ts: "1715679101.000200" });

    await slackCardJob.process(
      { promotionId: promotion.id, note: { kind: "approved" } },
      services,
      JOB,
    );

    expect(posts).toHaveLength(2);
    expect(posts[0]?.thread_ts).toBeUndefined();
    expect(posts[1]).toMatchObject({ thread_ts: TS, channel: "C0RELEASES" });
  });

  it("renders again when the promotion changes meanwhile", async () => {
    const promotion = await postedPromotion();
    const updates: SlackCall[] = [];
    nock(SLACK_API)
      .post("/api/chat.update", (body: SlackCall) => {
        updates.push(body);
        return true;
      })
      .times(2)
      .reply(200, async () => {
        if (updates.length === 1)
          await services.store.approve(promotion.id, "U0000003");
        return { ok: true, channel: "C0RELEASES", ts: TS };
      });

    await slackCardJob.process({ promotionId: promotion.id }, services, JOB);

    expect(updates).toHaveLength(2);
    expect(updates[0]?.blocks).toContain("0 of 2, 2 more needed");
    expect(updates[1]?.blocks).toContain("1 of 2, 1 more needed (<@U0000003>)");
  });

  it("posts afresh when the card was deleted", async () => {
    const promotion = await postedPromotion();
    nock(SLACK_API)
      .post("/api/chat.update")
      .reply(200, { ok: false, error: "message_not_found" });
    const posts: SlackCall[] = [];
    nockChatPostMessage(posts, { ts: "1715679300.000300" });

    await slackCardJob.process({ promotionId: promotion.id }, services, JOB);

    expect(posts).toHaveLength(1);
    expect((await services.store.get(promotion.id))?.messageTs).toBe(
      "1715679300.000300",
    );
  });

  it("fails for good on a missing promotion", async () => {
    const run = slackCardJob.process(
      { promotionId: "prm_missing" },
      services,
      JOB,
    );

    await expect(run).rejects.toMatchObject({
      code: "not_found",
      retryable: false,
      message: "promotion prm_missing not found",
    });
  });
});
