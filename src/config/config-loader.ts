import type { ProbotOctokit } from "probot";
import { YAMLError } from "yaml";
import type { Logger } from "../logger.js";
import type { ConfigRegistry } from "./config-registry.js";
import { mergeDefaults } from "./check-config.js";
import { validateRepoConfig } from "./repo-config.js";

export const CONFIG_PATH = ".github/gantry.yml";

export type LoadRepoParams = {
  octokit: ProbotOctokit;
  owner: string;
  repo: string;
  installationId: number;
  registry: ConfigRegistry;
  serverDefaults: unknown;
  log: Logger;
};

export type LoadOutcome = "loaded" | "absent" | "invalid";

/**
 * Loads one repository's `.github/gantry.yml` with Probot's config loader
 * (so `_extends` and organisation defaults in the `.github` repository
 * apply), merges it over the server defaults and validates it. An invalid
 * file leaves the last valid configuration in force.
 */
export async function loadRepoConfig(
  params: LoadRepoParams,
): Promise<LoadOutcome> {
  const { octokit, owner, repo, registry, log } = params;
  const fullName = `${owner}/${repo}`;

  let loaded: Awaited<ReturnType<typeof octokit.config.get>>;
  try {
    loaded = await octokit.config.get({ owner, repo, path: CONFIG_PATH });
  } catch (error) {
    // Probot's loader throws on a YAML syntax error, with the parser's error as cause.
    const cause = (error as { cause?: unknown }).cause;
    if (!(cause instanceof YAMLError)) throw error;
    const problems = [
      {
        path: "(yaml)",
        message: `invalid YAML: ${cause.message.split("\n")[0] ?? ""}`,
      },
    ];
    await registry.recordProblems(fullName, problems);
    log.warn(
      { repo: fullName, problems },
      "invalid gantry configuration; the last valid one stays in force",
    );
    return "invalid";
  }
  const { config, files } = loaded;
  if (files.every((file) => file.config === null)) {
    await registry.removeRepo(fullName);
    log.debug({ repo: fullName }, "no gantry configuration in repository");
    return "absent";
  }

  const result = validateRepoConfig(
    mergeDefaults(params.serverDefaults, config),
  );
  if (!result.ok) {
    await registry.recordProblems(fullName, result.problems);
    log.warn(
      { repo: fullName, problems: result.problems },
      "invalid gantry configuration; the last valid one stays in force",
    );
    return "invalid";
  }

  await registry.storeRepo({
    repo: fullName,
    installationId: params.installationId,
    config: result.config,
  });
  log.info(
    { repo: fullName, models: Object.keys(result.config.models) },
    "gantry configuration loaded",
  );
  return "loaded";
}

export type LoadAllParams = Omit<
  LoadRepoParams,
  "octokit" | "owner" | "repo" | "installationId"
> & {
  appOctokit: ProbotOctokit;
  installationOctokit: (installationId: number) => Promise<ProbotOctokit>;
};

/** Loads the configuration of every repository of every installation. */
export async function loadAllRepoConfigs(
  params: LoadAllParams,
): Promise<number> {
  const installations = await params.appOctokit.paginate(
    params.appOctokit.rest.apps.listInstallations,
  );
  let loaded = 0;

  for (const installation of installations) {
    const octokit = await params.installationOctokit(installation.id);
    const repositories = await octokit.paginate(
      octokit.rest.apps.listReposAccessibleToInstallation,
    );

    for (const repository of repositories) {
      try {
        const outcome = await loadRepoConfig({
          ...params,
          octokit,
          owner: repository.owner.login,
          repo: repository.name,
          installationId: installation.id,
        });
        if (outcome === "loaded") loaded++;
      } catch (error) {
        params.log.error(
          {
            err: error,
            repo: repository.full_name,
            installationId: installation.id,
          },
          "loading gantry configuration failed",
        );
      }
    }
  }
  return loaded;
}
