import type { App } from "@slack/bolt";
import type { Services } from "../../src/services.js";
import { registerAlertRollbackAction } from "../alerts/rollback-button.js";
import { registerApproveAction } from "./actions/approve.js";
import { registerCancelQueuedAction } from "./actions/cancel-queued.js";
import { registerCanaryContinueAction } from "./actions/canary-continue.js";
import { registerCanaryRollbackAction } from "./actions/canary-rollback.js";
import { registerPreviewAction } from "./actions/preview.js";
import { registerRejectAction } from "./actions/reject.js";
import { registerGantryCommand } from "./commands/gantry.js";
import { registerPromoteCommand } from "./commands/promote.js";
import { registerRetrainCommand } from "./commands/retrain.js";
import { registerRollbackCommand } from "./commands/rollback.js";
import { registerRejectReasonView } from "./views/reject-reason.js";

/** Registers every Slack listener: commands, card actions and modal submissions. */
export function registerSlackHandlers(app: App, services: Services): void {
  registerPromoteCommand(app, services);
  registerGantryCommand(app, services);
  registerRetrainCommand(app, services);
  registerApproveAction(app, services);
  registerRejectAction(app, services);
  registerPreviewAction(app, services);
  registerRejectReasonView(app, services);
  registerAlertRollbackAction(app, services);
  registerRollbackCommand(app, services);
  registerCanaryContinueAction(app, services);
  registerCanaryRollbackAction(app, services);
  registerCancelQueuedAction(app, services);

  app.error(async (error) => {
    services.log.error({ err: error }, "slack listener failed");
  });
}
