import type { KnownBlock } from "@slack/types";
import type { Blocker } from "../src/preconditions.js";
import type { SlackMessage } from "./approval-card.js";
import { escapeMrkdwn, LIMITS, truncate } from "./limits.js";

/** Lists blockers one a line, each with its fix. */
export function blockersText(blockers: readonly Blocker[]): string {
  return blockers
    .map(
      (blocker) =>
        `:no_entry_sign: ${escapeMrkdwn(blocker.message)}\n      _Fix:_ ${escapeMrkdwn(blocker.fix)}`,
    )
    .join("\n");
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
