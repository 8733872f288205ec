import { App } from "@slack/bolt";
import { registerSlackHandlers } from "../../handlers/slack/index.js";
import type { Services } from "../../src/services.js";
import { slackLogger } from "../../src/slack-logger.js";
import { readJsonFixture } from "../../scripts/fixtures.js";

/**
 * A Bolt app with Gantry's listeners, driven without HTTP: `dispatch` runs
 * the listeners for a payload and returns what the listener acknowledged.
 */
export function testBolt(services: Services): {
  dispatch: (body: Record<string, unknown>) => Promise<unknown>;
} {
  const app = new App({
    signingSecret: "unused-in-process",
    authorize: async () => ({ botToken: services.settings.slack.botToken }),
    clientOptions: { slackApiUrl: services.settings.slack.apiUrl },
    logger: slackLogger(services.log),
    ignoreSelf: false,
  });
  registerSlackHandlers(app, services);

  return {
    dispatch: async (body) => {
      let acknowledged: unknown;
      await app.processEvent({
        body,
        ack: async (response?: unknown) => {
          acknowledged = response;
        },
      });
      return acknowledged;
    },
  };
}

/** The Approve (or Reject) click from the fixture, by `user`, on a promotion's card. */
export function buttonClick(params: {
  action: "promotion_approve" | "promotion_reject" | "promotion_preview";
  promotionId: string;
  user: string;
  responseUrl?: string;
}): Record<string, any> {
  const body = readJsonFixture<Record<string, any>>(
    "slack/block_actions.approve.json",
  );
  body.user = { ...body.user, id: params.user };
  body.actions[0] = {
    ...body.actions[0],
    action_id: params.action,
    value: params.promotionId,
  };
  if (params.responseUrl) body.response_url = params.responseUrl;
  return body;
}
