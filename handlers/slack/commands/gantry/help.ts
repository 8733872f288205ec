import { gantryHelp } from "../../../../templates/gantry-help.js";
import { ephemeral, type GantryReply } from "./context.js";

/** Lists every subcommand with its usage. */
export function runHelp(): GantryReply {
  return ephemeral(gantryHelp());
}
