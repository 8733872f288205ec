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

  /** Returns the thread a chat.postMessage call replied in, or undefined for a top-level message. */
  static threadTs(request: RecordedRequest): string | undefined {
    return (request.body as { thread_ts?: string } | undefined)?.thread_ts;
  }

  /** Returns whether a call posted a top-level message (a card) that this stand-in accepted. */
  static isPostedCard(request: RecordedRequest): boolean {
    return (
      request.route === "chat.postMessage" &&
      SlackStandIn.threadTs(request) === undefined &&
      (request.reply?.body as { ok?: boolean } | undefined)?.ok === true
    );
  }

  /** Returns the message ts this stand-in returned for a chat.postMessage or chat.update call. */
  static replyTs(request: RecordedRequest): string | undefined {
    return (request.reply?.body as { ts?: string } | undefined)?.ts;
  }

  /** Joins every text of a message's blocks (header, fields, sections, context, buttons), one per line. */
  static blocksText(request: RecordedRequest): string {
    const texts: string[] = [];
    for (const block of SlackStandIn.blocks(request)) {
      if (block.text?.text) texts.push(block.text.text);
      for (const field of block.fields ?? []) texts.push(field.text);
      for (const element of block.elements ?? []) {
        if (typeof element.text === "string") texts.push(element.text);
        else if (element.text?.text) texts.push(element.text.text);
      }
    }
    return texts.join("\n");
  }

  /** Returns the buttons of a message's actions blocks. */
  static buttons(request: RecordedRequest): CardButton[] {
    return SlackStandIn.blocks(request)
      .filter((block) => block.type === "actions")
      .flatMap((block) => block.elements ?? [])
      .map((element) => ({
        actionId: element.action_id ?? "",
        text:
          typeof element.text === "string" ? "" : (element.text?.text ?? ""),
        value: element.value ?? "",
      }));
  }

  private static blocks(request: RecordedRequest): MessageBlock[] {
    return (
      (request.body as { blocks?: MessageBlock[] } | undefined)?.blocks ?? []
    );
  }
}

export type CardButton = { actionId: string; text: string; value: string };

/** The parts of a Block Kit block that the helpers above read. */
type MessageBlock = {
  type: string;
  text?: { text: string };
  fields?: { text: string }[];
  elements?: {
    action_id?: string;
    value?: string;
    text?: string | { text: string };
  }[];
};
