import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rollbackEnvironment } from "../../handlers/alerts/rollback-button.js";
import type { Services } from "../../src/services.js";
import { ALERT_ROLLBACK_ACTION } from "../../templates/alert-post.js";
import { buttonClick, testBolt } from "../helpers/bolt.js";
import { MODEL, seedProduction } from "../helpers/canary.js";
import { useRedis } from "../helpers/redis.js";
import { testServices } from "../helpers/services.js";

const { url } = useRedis();
const RESPONSE_PATH = "/actions/T0000001/3/alert";

let services: Services;
let close: () => Promise<void>;
let replies: string[];

beforeEach(() => {
  ({ services, close } = testServices(url));
  replies = [];
  nock("https://hooks.slack.com")
    .persist()
    .post(RESPONSE_PATH)
    .reply(200, (_uri, body) => {
      replies.push(String((body as { text?: unknown }).text));
      return "ok";
    });
});

afterEach(async () => {
  nock.cleanAll();
  await close();
});

/** The fixture's click, turned into a press of an alert post's Roll back button. */
function pressRollback(user: string, environment: string | undefined) {
  const body = buttonClick({
    action: "promotion_approve",
    promotionId: "",
    user,
    responseUrl: `https://hooks.slack.com${RESPONSE_PATH}`,
  });
  body.actions[0] = {
    ...body.actions[0],
    action_id: ALERT_ROLLBACK_ACTION,
    value: JSON.stringify({
      model: MODEL,
      environment,
      fingerprint: "9e8d7c6b5a403f21",
    }),
  };
  return body;
}

describe("alert Roll back button", () => {
  it("rolls production back for an approver", async () => {
    await seedProduction(services, ["41", "42"]);

    await testBolt(services).dispatch(pressRollback("U0RELMGR", "production"));

    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/41/);
    const rollbacks = await services.store.listByStatus(MODEL, [
      "approved",
      "deploying",
    ]);
    expect(
      rollbacks.map((promotion) => [
        promotion.kind,
        promotion.version,
        promotion.environment,
      ]),
    ).toEqual([["rollback", "41", "production"]]);
  });

  it("refuses someone who is not an approver", async () => {
    await seedProduction(services, ["41", "42"]);
    nock("https://slack.com")
      .post("/api/usergroups.users.list")
      .reply(200, { ok: true, users: ["U0LEAD001"] });

    await testBolt(services).dispatch(
      pressRollback("U0STRANGER", "production"),
    );

    expect(replies).toEqual([
      "Only approvers for production may roll it back; they are <!subteam^S0MLLEADS>, <@U0RELMGR>. Nothing was changed.",
    ]);
    expect(
      await services.store.listByStatus(MODEL, ["approved", "deploying"]),
    ).toEqual([]);
  });

  it("names an unknown model", async () => {
    await testBolt(services).dispatch(pressRollback("U0RELMGR", "production"));

    expect(replies).toEqual([
      "This Roll back button names no configured model; nothing was changed.",
    ]);
  });
});

describe("rollbackEnvironment", () => {
  it("uses the alert's environment or the last one", async () => {
    await seedProduction(services);
    const entry = await services.registry.entry(MODEL);
    if (!entry) throw new Error("model not indexed");

    expect(rollbackEnvironment(entry, "staging")).toBe("staging");
    expect(rollbackEnvironment(entry, undefined)).toBe("production");
    expect(rollbackEnvironment(entry, "qa")).toBeUndefined();
  });
});
