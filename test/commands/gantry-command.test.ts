import { describe, expect, it } from "vitest";
import { newPromotion } from "../helpers/promotions.js";
import { storeSampleConfig } from "../helpers/repo-config.js";
import { sendGantryCommand, useWebServer } from "../helpers/web-server.js";

const { server } = useWebServer();

async function gantry(text: string, user = "U0000001") {
  await storeSampleConfig(server().services.registry);
  return sendGantryCommand(server().url, { text, user });
}

/** Returns every text of a reply, blocks included, as one string. */
function allText(body: Record<string, any>): string {
  return JSON.stringify(body);
}

describe("/gantry through the web server", () => {
  it("lists every subcommand for help", async () => {
    const { status, body } = await gantry("help");

    expect(status).toBe(200);
    expect(body.response_type).toBe("ephemeral");
    for (const usage of [
      "/gantry status [MODEL]",
      "/gantry history MODEL [ENVIRONMENT]",
      "/gantry audit MODEL",
      "/gantry lock ENVIRONMENT [DURATION] [reason]",
      "/gantry unlock ENVIRONMENT",
      '/gantry freeze ENVIRONMENT DURATION \\"reason\\"',
      "/gantry unfreeze ENVIRONMENT",
    ]) {
      expect(allText(body)).toContain(usage);
    }
    expect(allText(body)).toContain(
      "Any user may lock, unlock, freeze and unfreeze",
    );
  });

  it.each<[string, string[]]>([
    ["stauts", ["Unknown subcommand `stauts`. Did you mean `status`?"]],
    [
      "status chrun",
      [
        "Unknown model `chrun`. Did you mean `churn`?",
        "Usage: `/gantry status [MODEL]`",
      ],
    ],
    [
      "history churn prodution",
      [
        "Did you mean `production`?",
        "Usage: `/gantry history MODEL [ENVIRONMENT]`",
      ],
    ],
    [
      "lock prodution",
      [
        "Unknown environment `prodution`; the configured environments are `dev`, `production`, `staging`. Did you mean `production`?",
        "Usage: `/gantry lock ENVIRONMENT [DURATION] [reason]`",
      ],
    ],
    [
      'freeze production 2x "quarter close"',
      [
        "Invalid duration `2x`; use a number and a unit, for example 30m, 2h or 1d.",
        'Usage: `/gantry freeze ENVIRONMENT DURATION "reason"`',
      ],
    ],
    ["audit", ["Missing model", "Usage: `/gantry audit MODEL`"]],
  ])(
    "replies privately with the problem and usage to %j",
    async (text, parts) => {
      const { body } = await gantry(text);

      expect(body.response_type).toBe("ephemeral");
      for (const part of parts) expect(body.text).toContain(part);
    },
  );

  it("locks, refuses a second holder, and unlocks", async () => {
    const locked = await gantry('lock production 2h "schema change"');
    const refused = await gantry("lock production", "U0000002");
    const unlocked = await gantry("unlock production", "U0000002");
    const again = await gantry("unlock production");

    expect(locked.body.response_type).toBe("in_channel");
    expect(locked.body.text).toContain(
      "<@U0000001> locked `production` for “schema change” until <!date^",
    );
    expect(refused.body.response_type).toBe("ephemeral");
    expect(refused.body.text).toContain(
      "`production` is already locked by <@U0000001> for “schema change”, held for under a minute",
    );
    expect(unlocked.body.response_type).toBe("in_channel");
    expect(unlocked.body.text).toBe(
      ":unlock: <@U0000002> released the lock on `production` (it was held by <@U0000001>).",
    );
    expect(again.body.text).toContain("`production` is not locked");
  });

  it("freezes and unfreezes, and status shows both", async () => {
    const frozen = await gantry('freeze production 2h "quarter close"');
    const status = await gantry("status churn");
    const lifted = await gantry("unfreeze production", "U0000002");
    const none = await gantry("unfreeze production");

    expect(frozen.body.response_type).toBe("in_channel");
    expect(frozen.body.text).toContain(
      "<@U0000001> froze `production` for every model until <!date^",
    );
    expect(frozen.body.text).toContain("“quarter close”");
    expect(allText(status.body)).toContain(
      ":snowflake: frozen by <@U0000001> (“quarter close”) until",
    );
    expect(lifted.body.text).toBe(
      ":sunny: <@U0000002> lifted the freeze on `production` (“quarter close”).",
    );
    expect(none.body.response_type).toBe("ephemeral");
    expect(none.body.text).toContain("has no freeze set by command");
  });

  it("shows live versions, promotions in flight, history and audit", async () => {
    const { store } = server().services;
    await storeSampleConfig(server().services.registry);
    const { promotion: live } = await store.create(
      newPromotion({ version: "41", requiredApprovals: 1 }),
      "slack:trigger-live",
    );
    await store.approve(live.id, "U0000002");
    await store.recordLive(live);
    const { promotion: pending } = await store.create(
      newPromotion({ version: "42" }),
      "slack:trigger-pending",
    );

    const status = await gantry("status churn");
    const history = await gantry("history churn staging");
    const audit = await gantry("audit example-user/Hello-World:churn");

    expect(allText(status.body)).toContain("• `staging`: version 41 live");
    expect(allText(status.body)).toContain("• `production`: nothing live yet");
    expect(allText(status.body)).toContain(
      `• 42 → \`staging\`: :hourglass_flowing_sand: Waiting for approval, requested by <@U0000001> (${pending.id})`,
    );
    expect(allText(history.body)).toContain("approved by <@U0000002>");
    expect(allText(history.body)).toContain(pending.id);
    expect(allText(audit.body)).toContain("<@U0000002> approved version *41*");
    expect(allText(audit.body)).toContain(
      "<@U0000002> moved pending_approval → approved:",
    );
  });
});
