import type { Probot } from "probot";
import type { Services } from "../../src/services.js";
import { registerConfigChanges } from "./config-changes.js";
import { registerDeploymentProtectionRule } from "./deployment-protection-rule.js";
import { registerDeploymentStatus } from "./deployment-status.js";
import { registerPullRequestMerged } from "./pull-request-merged.js";
import { registerWorkflowRun } from "./workflow-run.js";

/** Builds the Probot application function; events it does not register are acknowledged and ignored. */
export function githubApp(services: Services, serverDefaults: unknown) {
  return (probot: Probot): void => {
    registerDeploymentStatus(probot, services);
    registerDeploymentProtectionRule(probot, services);
    registerConfigChanges(probot, services, serverDefaults);
    registerPullRequestMerged(probot, services);
    registerWorkflowRun(probot, services);
  };
}
