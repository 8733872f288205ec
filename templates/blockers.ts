import type { KnownBlock } from "@slack/types";
import type { Blocker } from "../src/preconditions.js";
import type { SlackMessage } from "./approval-card.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";

/** Lists blockers one a line, each with its fix. */
export function blockersText(blockers: readonly Blocker[]): string {
  return blockers
    .map(
      (blocker) =>
        `:no_entry_sign: ${withMentions(blocker.message)}\n      _Fix:_ ${withMentions(blocker.fix)}`,
    )
    .join("\n");
}

/**
 * Escapes text for mrkdwn but keeps user mentions such as <@U0RELMGR>, which
 * blockers use to name a lock's holder; anything else in angle brackets,
 * such as "<= 2000" in a gate, stays literal.
 */
function withMentions(text: string): string {
  return escapeMrkdwn(text).replace(/&lt;@([UW][A-Z0-9]+)&gt;/g, "<@$1>");
}

/** Renders the reply to a promotion that its preconditions turn away. */
export function blockedMessage(params: {
  modelName: string;
  version: string;
  environment: string;
  blockers: readonly Blocker[];
}): SlackMessage {
  const title = `${params.modelName} ${params.version} cannot be promoted to ${params.environment} now`;
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(`*${escapeMrkdwn(title)}*`, LIMITS.sectionText),
      },
    },
    {
      type: "section",
      text: {
        type: "mrkdwn",
        text: truncate(blockersText(params.blockers), LIMITS.sectionText),
      },
    },
  ];
  return {
    text: truncate(
      `${title}: ${params.blockers.map((blocker) => blocker.message).join("; ")}`,
      3000,
    ),
    blocks,
  };
}
