import type { App } from "@slack/bolt";
import type { Services } from "../../../src/services.js";
import { parseGantryCommand } from "./gantry/parse-gantry-command.js";
import { runGantryCommand } from "./gantry/run-gantry-command.js";

/**
 * Registers /gantry and its subcommands (status, history, audit, lock,
 * unlock, freeze, unfreeze, help). Each reads or writes Redis only, so the
 * reply goes out with the acknowledgement, inside Slack's 3 seconds.
 */
export function registerGantryCommand(app: App, services: Services): void {
  app.command("/gantry", async ({ command, ack }) => {
    const parsed = parseGantryCommand(command.text);
    if (!parsed.ok) {
      await ack({
        response_type: "ephemeral",
        text: `${parsed.error}\n${parsed.usage}`,
      });
      return;
    }

    const log = services.log.child({
      user: command.user_id,
      team: command.team_id,
      channel: command.channel_id,
      subcommand: parsed.command.name,
    });
    try {
      const reply = await runGantryCommand(
        {
          services: { ...services, log },
          user: command.user_id,
          channel: command.channel_id,
          now: new Date(),
        },
        parsed.command,
      );
      await ack(reply);
    } catch (error) {
      log.error({ err: error }, "gantry command failed");
      await ack({
        response_type: "ephemeral",
        text: `\`/gantry ${parsed.command.name}\` failed because of an internal error; try again, and ask the Gantry operators to check the logs if it keeps failing.`,
      });
    }
  });
}
