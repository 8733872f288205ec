import type { GantryContext, GantryReply } from "./context.js";
import { runAudit } from "./audit.js";
import { runFreeze } from "./freeze.js";
import { runHelp } from "./help.js";
import { runHistory } from "./history.js";
import { runLock } from "./lock.js";
import type { GantryCommand } from "./parse-gantry-command.js";
import { runStatus } from "./status.js";
import { runUnfreeze } from "./unfreeze.js";
import { runUnlock } from "./unlock.js";

/** Runs a parsed /gantry subcommand and returns its reply. */
export async function runGantryCommand(
  context: GantryContext,
  command: GantryCommand,
): Promise<GantryReply> {
  switch (command.name) {
    case "help":
      return runHelp();
    case "status":
      return runStatus(context, command);
    case "history":
      return runHistory(context, command);
    case "audit":
      return runAudit(context, command);
    case "lock":
      return runLock(context, command);
    case "unlock":
      return runUnlock(context, command);
    case "freeze":
      return runFreeze(context, command);
    case "unfreeze":
      return runUnfreeze(context, command);
  }
}
