import type { Freeze } from "../src/environment-freezes.js";
import {
  actorName,
  slackTime,
  textReply,
  type CommandReply,
} from "./command-reply.js";
import { escapeMrkdwn } from "./limits.js";

/** Announces a freeze set by command. */
export function frozen(params: {
  freeze: Freeze;
  replaced: boolean;
}): CommandReply {
  const { freeze } = params;
  const replaced = params.replaced ? " This replaces the earlier freeze." : "";
  return textReply(
    `:snowflake: ${actorName(freeze.by ?? "")} froze \`${escapeMrkdwn(freeze.environment)}\` for every model until ${slackTime(freeze.endsAt)}: “${escapeMrkdwn(freeze.reason)}”. Promotions there are turned away until then unless an approver breaks the freeze with a reason.${replaced}`,
  );
}

/** Announces a lifted freeze, and any configured window still in force. */
export function unfrozen(params: {
  environment: string;
  user: string;
  reason: string;
  stillFrozen: Freeze | undefined;
}): CommandReply {
  return textReply(
    `:sunny: ${actorName(params.user)} lifted the freeze on \`${escapeMrkdwn(params.environment)}\` (“${escapeMrkdwn(params.reason)}”).${stillText(params.stillFrozen)}`,
  );
}

/** Tells a user that no freeze set by command is in force on the environment. */
export function notFrozen(params: {
  environment: string;
  stillFrozen: Freeze | undefined;
}): CommandReply {
  return textReply(
    `\`${escapeMrkdwn(params.environment)}\` has no freeze set by command, so nothing was lifted.${stillText(params.stillFrozen)}`,
  );
}

function stillText(freeze: Freeze | undefined): string {
  if (!freeze) return "";
  return ` A window declared in .github/gantry.yml (“${escapeMrkdwn(freeze.reason)}”) keeps it frozen until ${slackTime(freeze.endsAt)}; change \`freezes\` there to end it, or have an approver break it for one promotion.`;
}
