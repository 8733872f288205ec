import nock from "nock";

export const SLACK_API = "https://slack.com";

/** A Web API request body as nock parses the form Slack's client sends. */
export type SlackCall = Record<string, string>;

/**
 * Fakes one Slack Web API method. The request body (form fields, with
 * blocks and views as JSON text) is kept in `calls`.
 */
export function nockSlackMethod(
  method: string,
  reply: Record<string, unknown>,
  calls: SlackCall[] = [],
) {
  return nock(SLACK_API)
    .post(`/api/${method}`, (body: SlackCall) => {
      calls.push(body);
      return true;
    })
    .reply(200, reply);
}

export function nockChatPostMessage(
  calls: SlackCall[],
  reply: { channel?: string; ts?: string } = {},
) {
  return nockSlackMethod(
    "chat.postMessage",
    {
      ok: true,
      channel: reply.channel ?? "C0RELEASES",
      ts: reply.ts ?? "1715679100.000100",
      message: { type: "message", text: "" },
    },
    calls,
  );
}

export function nockChatUpdate(calls: SlackCall[]) {
  return nock(SLACK_API)
    .post("/api/chat.update", (body: SlackCall) => {
      calls.push(body);
      return true;
    })
    .reply(200, (_uri, body) => {
      const { channel, ts } = body as SlackCall;
      return { ok: true, channel, ts, text: "" };
    });
}

/** Fakes usergroups.users.list for one group. */
export function nockUsergroupsUsersList(group: string, users: string[]) {
  return nock(SLACK_API)
    .post(
      "/api/usergroups.users.list",
      (body: SlackCall) => body.usergroup === group,
    )
    .reply(200, { ok: true, users });
}

/** Fakes a response_url and keeps each JSON reply posted to it. */
export function nockResponseUrl(url: string, replies: unknown[]) {
  const { origin, pathname } = new URL(url);
  return nock(origin)
    .post(pathname, (body: unknown) => {
      replies.push(body);
      return true;
    })
    .reply(200, "ok");
}
