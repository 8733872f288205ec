import type { KnownBlock } from "@slack/types";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";

/** A reply to a slash command: fallback text and Block Kit blocks. */
export type CommandReply = { text: string; blocks: KnownBlock[] };

export function headerBlock(text: string): KnownBlock {
  return {
    type: "header",
    text: { type: "plain_text", text: truncate(text, LIMITS.headerText) },
  };
}

export function sectionBlock(mrkdwn: string): KnownBlock {
  return {
    type: "section",
    text: { type: "mrkdwn", text: truncate(mrkdwn, LIMITS.sectionText) },
  };
}

export function contextBlock(mrkdwn: string): KnownBlock {
  return {
    type: "context",
    elements: [{ type: "mrkdwn", text: truncate(mrkdwn, LIMITS.fieldText) }],
  };
}

/**
 * Packs lines into as few sections as fit Slack's section text limit, one
 * line never split across two sections.
 */
export function lineSections(lines: readonly string[]): KnownBlock[] {
  const sections: string[] = [];
  let current = "";

  for (const line of lines.map((text) => truncate(text, LIMITS.sectionText))) {
    const joined = current === "" ? line : `${current}\n${line}`;
    if (Array.from(joined).length <= LIMITS.sectionText) {
      current = joined;
      continue;
    }
    sections.push(current);
    current = line;
  }
  if (current !== "") sections.push(current);
  return sections.map(sectionBlock);
}

/**
 * Builds a reply within Block Kit's limits: past the block limit, the last
 * block that fits states how many were left out.
 */
export function commandReply(text: string, blocks: KnownBlock[]): CommandReply {
  const fitted =
    blocks.length <= LIMITS.blocksPerMessage
      ? blocks
      : [
          ...blocks.slice(0, LIMITS.blocksPerMessage - 1),
          contextBlock(
            `${blocks.length - LIMITS.blocksPerMessage + 1} more blocks were left out; narrow the command to see them.`,
          ),
        ];
  return { text: truncate(text, LIMITS.messageText), blocks: fitted };
}

/** Builds a reply of one section of mrkdwn text. */
export function textReply(mrkdwn: string): CommandReply {
  return commandReply(mrkdwn, [sectionBlock(mrkdwn)]);
}

/** Formats a time that Slack shows in each reader's own time zone, with a UTC fallback. */
export function slackTime(date: Date): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const fallback = `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

/** Formats a Slack user ID as a mention, and any other actor (such as `gantry`) as text. */
export function actorName(actor: string): string {
  if (/^[UW][A-Z0-9]{2,}$/.test(actor)) return `<@${actor}>`;
  return escapeMrkdwn(actor === "" ? "unknown" : actor);
}

/** Formats an age in whole minutes, for example "1h20m", or "under a minute". */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return "under a minute";

  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const rest = minutes % 60;
  return [
    days > 0 ? `${days}d` : "",
    hours > 0 ? `${hours}h` : "",
    rest > 0 ? `${rest}m` : "",
  ].join("");
}
