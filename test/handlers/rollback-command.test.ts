import { beforeEach, describe, expect, it } from "vitest";
import { deploymentJob } from "../../jobs/deployment.js";
import { readFixture } from "../../scripts/fixtures.js";
import { slackHeaders } from "../../scripts/signing.js";
import { findHold } from "../../src/rollback/hold.js";
import { keys } from "../../src/store/keys.js";
import { ROLLBACK_USAGE } from "../../templates/rollback-messages.js";
import { MODEL, seedProduction } from "../helpers/canary.js";
import { useGantryServer } from "../helpers/gantry-server.js";
import { queuedJobs } from "../helpers/services.js";
import { SIGNING_SECRET } from "../helpers/settings.js";
import { nockUsergroupsUsersList } from "../helpers/slack-api.js";

const { server } = useGantryServer();

beforeEach(async () => {
  await seedProduction(server().services, ["41", "42"]);
});

/** Sends the /rollback fixture, signed now, with the given text and user. */
async function rollback(
  params: { text?: string; user?: string } = {},
): Promise<{ status: number; text: string }> {
  const form = new URLSearchParams(
    readFixture("slack/slash_command.rollback.txt"),
  );
  if (params.text !== undefined) form.set("text", params.text);
  if (params.user) form.set("user_id", params.user);
  const body = form.toString();
  const response = await fetch(`${server().url}/slack/events`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      ...slackHeaders(body, SIGNING_SECRET),
    },
    body,
  });
  const reply = (await response.json()) as { text: string };
  return { status: response.status, text: reply.text };
}

describe("/rollback", () => {
  it("rolls production back for an approver", async () => {
    const reply = await rollback({ user: "U0RELMGR" });

    const [deploy] = await queuedJobs(server().services, deploymentJob);
    const rollbackId = deploy?.data.promotionId ?? "";
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(
      `Rolling back churn in production from version 42 to version 41 (${rollbackId}); its card is in <#C0RELEASES>. Automation promotes nothing into production until someone promotes by hand.`,
    );
    expect(await server().services.store.get(rollbackId)).toMatchObject({
      kind: "rollback",
      version: "41",
      requestedBy: "U0RELMGR",
      status: "approved",
    });
    expect(
      await findHold(server().services, MODEL, "production"),
    ).toMatchObject({ version: "42", by: "U0RELMGR" });
  });

  it("refuses someone who is not an approver", async () => {
    nockUsergroupsUsersList("S0MLLEADS", ["U0MLLEAD1"]);

    const reply = await rollback();

    expect(reply.text).toBe(
      "Only approvers for production may roll it back; they are <!subteam^S0MLLEADS>, <@U0RELMGR>. Nothing was changed.",
    );
    expect(await queuedJobs(server().services, deploymentJob)).toEqual([]);
    expect(
      await findHold(server().services, MODEL, "production"),
    ).toBeUndefined();
  });

  it("says when there is nothing to go back to", async () => {
    await server().services.redis.del(keys.releaseHistory(MODEL, "production"));
    await seedProduction(server().services, ["42"]);

    const reply = await rollback({ user: "U0RELMGR" });

    expect(reply.text).toBe(
      "Nothing to go back to: no version of churn other than 42 succeeded in production. Nothing was changed.",
    );
    expect(await queuedJobs(server().services, deploymentJob)).toEqual([]);
  });

  it.each([
    [
      "no environment",
      "churn",
      `/rollback needs a model and an environment.\n${ROLLBACK_USAGE}`,
    ],
    [
      "an unknown environment",
      "churn stagin",
      `\`stagin\` is not an environment of churn; its environments are \`dev\`, \`staging\`, \`production\`. Did you mean \`staging\`?\n${ROLLBACK_USAGE}`,
    ],
  ])("explains %s", async (_name, text, expected) => {
    const reply = await rollback({ text, user: "U0RELMGR" });

    expect(reply.text).toBe(expected);
  });
});
