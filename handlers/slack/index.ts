import type { App } from "@slack/bolt";
import type { Services } from "../../src/services.js";
import { registerApproveAction } from "./actions/approve.js";
import { registerRejectAction } from "./actions/reject.js";
import { registerPromoteCommand } from "./commands/promote.js";
import { registerRejectReasonView } from "./views/reject-reason.js";

/** Registers every Slack listener: commands, card actions and modal submissions. */
export function registerSlackHandlers(app: App, services: Services): void {
  registerPromoteCommand(app, services);
  registerApproveAction(app, services);
  registerRejectAction(app, services);
  registerRejectReasonView(app, services);

  app.error(async (error) => {
    services.log.error({ err: error }, "slack listener failed");
  });
}
