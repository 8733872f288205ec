import type { Probot } from "probot";
import { CONFIG_PATH, loadRepoConfig } from "../../src/config/config-loader.js";
import type { Services } from "../../src/services.js";

/**
 * Reloads a repository's configuration when a push to its default branch
 * touches `.github/gantry.yml`, and when the app is installed on it.
 */
export function registerConfigChanges(
  probot: Probot,
  services: Services,
  serverDefaults: unknown,
): void {
  probot.on("push", async (context) => {
    const { ref, repository, commits, installation } = context.payload;
    if (ref !== `refs/heads/${repository.default_branch}` || !installation)
      return;

    const touched = commits.some((commit) =>
      [
        ...(commit.added ?? []),
        ...(commit.modified ?? []),
        ...(commit.removed ?? []),
      ].includes(CONFIG_PATH),
    );
    if (!touched) return;

    const [owner = ""] = repository.full_name.split("/");
    await loadRepoConfig({
      octokit: context.octokit,
      owner,
      repo: repository.name,
      installationId: installation.id,
      registry: services.registry,
      serverDefaults,
      log: context.log,
    });
  });

  probot.on(
    ["installation.created", "installation_repositories.added"],
    async (context) => {
      const installationId = context.payload.installation.id;
      const repositories =
        "repositories_added" in context.payload
          ? context.payload.repositories_added
          : (context.payload.repositories ?? []);

      for (const repository of repositories) {
        const [owner = "", repo = ""] = repository.full_name.split("/");
        await loadRepoConfig({
          octokit: context.octokit,
          owner,
          repo,
          installationId,
          registry: services.registry,
          serverDefaults,
          log: context.log,
        });
      }
    },
  );
}
