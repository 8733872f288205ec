import { declaredEnvironments } from "../../../../src/config/declared-environments.js";
import type { ConfigRegistry } from "../../../../src/config/config-registry.js";
import { closestName } from "../../../../src/text/closest-name.js";

/**
 * Checks that some model declares the environment, or returns a message
 * with the declared names and the closest one to a typo.
 */
export async function resolveEnvironment(
  registry: ConfigRegistry,
  environment: string,
): Promise<{ ok: true; models: string[] } | { ok: false; error: string }> {
  const declared = await declaredEnvironments(registry);
  const models = declared.get(environment);
  if (models) return { ok: true, models };

  const names = [...declared.keys()].sort();
  if (names.length === 0) {
    return {
      ok: false,
      error: `Unknown environment \`${environment}\`: no model is configured yet; declare environments in .github/gantry.yml.`,
    };
  }
  const suggestion = closestName(environment, names);
  const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : "";
  return {
    ok: false,
    error: `Unknown environment \`${environment}\`; the configured environments are ${names.map((name) => `\`${name}\``).join(", ")}.${hint}`,
  };
}
