import type { Services } from "../../../../src/services.js";
import type { CommandReply } from "../../../../templates/command-reply.js";
import { usageLine, type SubcommandName } from "./usage.js";

/** The user, channel and time of a /gantry command, with the services it uses. */
export type GantryContext = {
  services: Services;
  user: string;
  channel: string;
  now: Date;
};

/** A reply visible only to the user (ephemeral) or to the whole channel (in_channel). */
export type GantryReply = {
  response_type: "ephemeral" | "in_channel";
  text: string;
  blocks?: CommandReply["blocks"];
};

export function ephemeral(reply: CommandReply): GantryReply {
  return { response_type: "ephemeral", ...reply };
}

export function inChannel(reply: CommandReply): GantryReply {
  return { response_type: "in_channel", ...reply };
}

/** Replies privately with what is wrong and the subcommand's usage. */
export function usageError(name: SubcommandName, error: string): GantryReply {
  return {
    response_type: "ephemeral",
    text: `${error}\n${usageLine(name)}`,
  };
}
