import type {
  ConfigRegistry,
  ModelEntry,
} from "../../src/config/config-registry.js";
import { closestName } from "../../src/text/closest-name.js";

/**
 * Resolves a model named in a command, or returns a message that explains why it
 * could not: unknown (with the closest name), or declared in two repositories.
 */
export async function lookupModel(
  registry: ConfigRegistry,
  name: string,
): Promise<{ ok: true; entry: ModelEntry } | { ok: false; error: string }> {
  const lookup = await registry.lookup(name);
  if (lookup.found) return { ok: true, entry: lookup.entry };

  if (lookup.ambiguous.length > 0) {
    return {
      ok: false,
      error: `Model \`${name}\` is declared in several repositories; name one of ${lookup.ambiguous.map((key) => `\`${key}\``).join(", ")}.`,
    };
  }
  const hint = lookup.suggestion
    ? ` Did you mean \`${lookup.suggestion}\`?`
    : "";
  return { ok: false, error: `Unknown model \`${name}\`.${hint}` };
}

/** Checks that an environment is one of the model's, or returns a message with the closest name. */
export function checkEnvironment(
  entry: ModelEntry,
  environment: string,
): string | undefined {
  if (Object.hasOwn(entry.environments, environment)) return undefined;

  const suggestion = closestName(environment, entry.order);
  const hint = suggestion ? ` Did you mean \`${suggestion}\`?` : "";
  return `\`${environment}\` is not an environment of ${entry.name}; its environments are ${entry.order.map((name) => `\`${name}\``).join(", ")}.${hint}`;
}
