import type { ConfigRegistry } from "./config-registry.js";

/**
 * Maps each environment that some model declares to the keys of the models
 * that declare it, in model key order.
 */
export async function declaredEnvironments(
  registry: ConfigRegistry,
): Promise<Map<string, string[]>> {
  const environments = new Map<string, string[]>();

  for (const key of await registry.modelKeys()) {
    const entry = await registry.entry(key);
    for (const environment of entry?.order ?? []) {
      const models = environments.get(environment) ?? [];
      models.push(key);
      environments.set(environment, models);
    }
  }
  return environments;
}
