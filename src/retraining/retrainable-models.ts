import type { ConfigRegistry, ModelEntry } from "../config/config-registry.js";

/** Returns a repository's models that declare a `training_workflow`. */
export async function trainableModels(
  registry: ConfigRegistry,
  repo: string,
): Promise<ModelEntry[]> {
  const entries: ModelEntry[] = [];
  for (const key of await registry.modelKeys()) {
    if (!key.startsWith(`${repo}:`)) continue;
    const entry = await registry.entry(key);
    if (entry?.model.training_workflow) entries.push(entry);
  }
  return entries;
}

/** Returns a repository's trainable models that also declare `paths`, which a merged pull request may touch. */
export async function modelsWithPaths(
  registry: ConfigRegistry,
  repo: string,
): Promise<ModelEntry[]> {
  const entries = await trainableModels(registry, repo);
  return entries.filter((entry) => entry.model.paths.length > 0);
}
