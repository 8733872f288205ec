import { SUBCOMMANDS, USAGE } from "../handlers/slack/commands/gantry/usage.js";
import {
  commandReply,
  contextBlock,
  headerBlock,
  lineSections,
  type CommandReply,
} from "./command-reply.js";

/** Builds the /gantry help reply: every subcommand with its usage and what it does. */
export function gantryHelp(): CommandReply {
  const lines = SUBCOMMANDS.map(
    (name) => `*\`${USAGE[name].usage}\`*\n${USAGE[name].summary}`,
  );
  return commandReply("/gantry subcommands: " + SUBCOMMANDS.join(", "), [
    headerBlock("Gantry commands"),
    ...lineSections(lines),
    contextBlock(
      "MODEL is a name from .github/gantry.yml, or `owner/repo:name` when two repositories declare it. DURATION is a number and a unit: 30m, 2h, 1d. Any user may lock, unlock, freeze and unfreeze for now; each change is recorded in the audit log. Also: `/promote MODEL VERSION ENVIRONMENT`.",
    ),
  ]);
}
