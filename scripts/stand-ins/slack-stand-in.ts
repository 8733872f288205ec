import { StandInServer, type RecordedRequest } from "./stand-in-server.js";

/**
 * Plays Slack's Web API (`SLACK_API_URL`) and the response_url endpoint
 * that slash commands and interactions reply through.
 */
export class SlackStandIn extends StandInServer {
  private nextTs = 1_715_679_100;
  readonly groups = new Map<string, string[]>();
  /** Messages posted with chat.postMessage, with the ts this stand-in gave each. */
  readonly messages: {
    ts: string;
    channel: string;
    threadTs: string | undefined;
    text: string;
  }[] = [];

  constructor() {
    super("Slack", [
      {
        name: "chat.postMessage",
        method: "POST",
        pattern: /^\/api\/chat\.postMessage$/,
        handle: (request) => {
          const body = request.body as {
            channel: string;
            text?: string;
            thread_ts?: string;
          };
          const ts = `${this.nextTs++}.000100`;
          this.messages.push({
            ts,
            channel: body.channel,
            threadTs: body.thread_ts,
            text: body.text ?? "",
          });
          return {
            status: 200,
            body: {
              ok: true,
              channel: body.channel,
              ts,
              message: { ts, text: body.text ?? "" },
            },
          };
        },
      },
      {
        name: "chat.update",
        method: "POST",
        pattern: /^\/api\/chat\.update$/,
        handle: (request) => {
          const body = request.body as {
            channel: string;
            ts: string;
            text?: string;
          };
          return {
            status: 200,
            body: {
              ok: true,
              channel: body.channel,
              ts: body.ts,
              text: body.text ?? "",
            },
          };
        },
      },
      {
        name: "views.open",
        method: "POST",
        pattern: /^\/api\/views\.open$/,
        handle: () => ({
          status: 200,
          body: { ok: true, view: { id: "V0STANDIN01" } },
        }),
      },
      {
        name: "usergroups.users.list",
        method: "POST",
        pattern: /^\/api\/usergroups\.users\.list$/,
        handle: (request) => {
          const group =
            (request.body as { usergroup?: string }).usergroup ?? "";
          const users = this.groups.get(group);
          return users
            ? { status: 200, body: { ok: true, users } }
            : { status: 200, body: { ok: false, error: "no_such_subteam" } };
        },
      },
      {
        name: "auth.test",
        method: "POST",
        pattern: /^\/api\/auth\.test$/,
        handle: () => ({
          status: 200,
          body: {
            ok: true,
            team_id: "T0000001",
            user_id: "U0BOT0001",
            bot_id: "B0000001",
          },
        }),
      },
      {
        name: "response_url",
        method: "POST",
        pattern: /^\/response\/[\w-]+$/,
        handle: () => ({ status: 200, raw: "ok" }),
      },
    ]);
  }

  /** A response_url on this stand-in, to put into slash command and interaction payloads. */
  responseUrl(id: string): string {
    return `${this.url}/response/${id}`;
  }

  /** Text of a recorded Slack call, for printing and assertions. */
  static text(request: RecordedRequest): string {
    const text = (request.body as { text?: unknown } | undefined)?.text;
    return typeof text === "string" ? text : "";
  }
}
