/**
 * Redis key names. Every key carries the hash tag `{gantry}`, so they share
 * one Redis Cluster slot and a Lua script may touch any of them at once.
 * Gantry's state is small (promotions, audit events, indexes), so one slot
 * is not a capacity concern.
 */
const PREFIX = "gantry:{gantry}";

export const keys = {
  promotion: (id: string) => `${PREFIX}:promotion:${id}`,
  approvals: (id: string) => `${PREFIX}:promotion:${id}:approvals`,
  groupApprovals: (id: string) => `${PREFIX}:promotion:${id}:group-approvals`,
  succeeded: (model: string, environment: string) =>
    `${PREFIX}:succeeded:${model}:${environment}`,
  rejections: (id: string) => `${PREFIX}:promotion:${id}:rejections`,
  auditAll: () => `${PREFIX}:audit`,
  auditModel: (model: string) => `${PREFIX}:audit:${model}`,
  promotionsByModel: (model: string) => `${PREFIX}:promotions:${model}`,
  deployment: (deploymentId: number | string) =>
    `${PREFIX}:deployment:${deploymentId}`,
  live: (model: string, environment: string) =>
    `${PREFIX}:live:${model}:${environment}`,
  request: (requestKey: string) => `${PREFIX}:request:${requestKey}`,
  once: (scope: string, id: string) => `${PREFIX}:once:${scope}:${id}`,
  repoConfig: (repo: string) => `${PREFIX}:repo-config:${repo}`,
  repoConfigProblems: (repo: string) =>
    `${PREFIX}:repo-config-problems:${repo}`,
  models: () => `${PREFIX}:models`,
  environmentLock: (environment: string) =>
    `${PREFIX}:environment-lock:${environment}`,
  /** Hash of environment to its lock's owner and channel, for the reminder and expiry sweep. */
  environmentLocks: () => `${PREFIX}:environment-locks`,
  environmentFreeze: (environment: string) =>
    `${PREFIX}:environment-freeze:${environment}`,
  retrainingRun: (runId: string) => `${PREFIX}:retraining-run:${runId}`,
  /** Lock on a model while a retraining run is in flight, with the run's id as value. */
  retrainingLock: (model: string) => `${PREFIX}:retraining-lock:${model}`,
  /** When a model's last retraining run was dispatched, in epoch milliseconds. */
  retrainingLastDispatch: (model: string) =>
    `${PREFIX}:retraining-last-dispatch:${model}`,
  retrainingByWorkflowRun: (repo: string, workflowRunId: number | string) =>
    `${PREFIX}:retraining-by-workflow-run:${repo}:${workflowRunId}`,
  /** Hash of an alert fingerprint's ticket, Slack post and the firings already handled. */
  alert: (fingerprint: string) => `${PREFIX}:alert:${fingerprint}`,
  /** Held while one job decides and acts on a fingerprint's ticket. */
  alertLock: (fingerprint: string) => `${PREFIX}:alert-lock:${fingerprint}`,
  /** Hash of fingerprint to a firing critical alert on the model, for rollback during a bake. */
  criticalAlerts: (model: string) => `${PREFIX}:critical:${model}`,
  /** The id of the one active promotion (approved, deploying or canary) of a model in an environment. */
  activePromotion: (model: string, environment: string) =>
    `${PREFIX}:active:${model}:${environment}`,
  /** Sorted set of approved promotions waiting for the active one to end, scored by when they joined. */
  promotionQueue: (model: string, environment: string) =>
    `${PREFIX}:queue:${model}:${environment}`,
  /**
   * List of the versions that succeeded in an environment, oldest first, as
   * JSON {version, promotionId, at}. A rollback trims the entries after its
   * target, so the list ends with the version that runs there now.
   */
  releaseHistory: (model: string, environment: string) =>
    `${PREFIX}:history:${model}:${environment}`,
  /** Hash that marks an environment held after a rollback, so automation promotes nothing into it. */
  hold: (model: string, environment: string) =>
    `${PREFIX}:hold:${model}:${environment}`,
  /** Held while one worker creates the deployment of a promotion's step. */
  deploymentLock: (promotionId: string, step: number) =>
    `${PREFIX}:deployment-lock:${promotionId}:${step}`,
  /** Hash of "step:check" to the JSON result of one health check of a canary promotion. */
  canaryChecks: (promotionId: string) =>
    `${PREFIX}:promotion:${promotionId}:canary-checks`,
};
