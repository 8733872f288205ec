import { parse } from "yaml";
import type { ConfigRegistry } from "../../src/config/config-registry.js";
import {
  validateRepoConfig,
  type RepoConfig,
} from "../../src/config/repo-config.js";

/** The repository of GitHub's published webhook examples, so fixtures apply unchanged. */
export const REPO = "example-user/Hello-World";
export const INSTALLATION_ID = 4242;

/** The `.github/gantry.yml` that README.md shows, with a production canary. */
export const SAMPLE_CONFIG = `slack:
  channel: C0RELEASES            # where approval cards go
models:
  churn:
    registry: churn-model        # MLflow registered model name
    paths: [models/churn/**]
    training_workflow: train.yml
    gates: { accuracy: ">= 0.90", latency_p99_ms: "<= 2000" }
environments:
  dev: { auto_deploy: true, approvals: 0 }
  staging: { after: dev, soak: 24h, approvals: 1, approvers: [S0MLLEADS] }
  production:
    after: staging
    approvals: 2
    approvers: [S0MLLEADS, U0RELMGR]
    canary: [5, 25, 50, 100]
    bake: 10m
`;

/** Parses and validates YAML that the test expects to be valid. */
export function repoConfig(text: string = SAMPLE_CONFIG): RepoConfig {
  const result = validateRepoConfig(parse(text));
  if (!result.ok)
    throw new Error(`invalid test config: ${JSON.stringify(result.problems)}`);
  return result.config;
}

/** Stores the sample configuration as if Gantry had loaded it from GitHub. */
export async function storeSampleConfig(
  registry: ConfigRegistry,
  params: { repo?: string; text?: string; installationId?: number } = {},
): Promise<void> {
  await registry.storeRepo({
    repo: params.repo ?? REPO,
    installationId: params.installationId ?? INSTALLATION_ID,
    config: repoConfig(params.text),
  });
}
