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
};
