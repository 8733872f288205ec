import type { Redis } from "ioredis";
import { z } from "zod";
import { keys } from "../store/keys.js";
import { closestName } from "../text/closest-name.js";
import type { FreezeWindowConfig } from "./freeze-window-schema.js";
import {
  environmentOrder,
  repoConfigSchema,
  type ConfigProblem,
  type EnvironmentConfig,
  type ModelConfig,
  type RepoConfig,
} from "./repo-config.js";

/** One model as the rest of Gantry sees it: its repository's settings resolved. */
export type ModelEntry = {
  /** `owner/repo:name`, unique across repositories. */
  key: string;
  name: string;
  repo: string;
  installationId: number;
  model: ModelConfig;
  environments: Record<string, EnvironmentConfig>;
  /** Environment names, each after the one it names in `after`. */
  order: string[];
  channel: string | undefined;
  alertsChannel: string | undefined;
  jira: RepoConfig["jira"];
  retrain: RepoConfig["retrain"];
  /** Recurring freeze windows declared in the repository's configuration. */
  freezes: FreezeWindowConfig[];
  /** Alert classification rules and the ticket reopen window. */
  alerts: RepoConfig["alerts"];
};

const storedRepoSchema = z.object({
  repo: z.string(),
  installationId: z.number().int(),
  config: repoConfigSchema,
  loadedAt: z.string(),
});

export type ModelLookup =
  | { found: true; entry: ModelEntry }
  | { found: false; ambiguous: string[]; suggestion: string | undefined };

/**
 * Valid repository configurations and the model index built from them, in
 * Redis so every web and worker process sees the same configuration.
 */
export class ConfigRegistry {
  constructor(private readonly redis: Redis) {}

  /** Stores a repository's valid configuration and re-indexes its models. */
  async storeRepo(params: {
    repo: string;
    installationId: number;
    config: RepoConfig;
  }): Promise<void> {
    const stored = { ...params, loadedAt: new Date().toISOString() };
    const current = await this.redis.hgetall(keys.models());
    const stale = Object.keys(current).filter((key) =>
      key.startsWith(`${params.repo}:`),
    );

    const transaction = this.redis
      .multi()
      .set(keys.repoConfig(params.repo), JSON.stringify(stored));
    transaction.del(keys.repoConfigProblems(params.repo));
    if (stale.length > 0) transaction.hdel(keys.models(), ...stale);
    for (const name of Object.keys(params.config.models)) {
      transaction.hset(keys.models(), `${params.repo}:${name}`, params.repo);
    }
    await transaction.exec();
  }

  /** Removes a repository that no longer has a configuration or the app. */
  async removeRepo(repo: string): Promise<void> {
    const current = await this.redis.hgetall(keys.models());
    const stale = Object.keys(current).filter((key) =>
      key.startsWith(`${repo}:`),
    );
    const transaction = this.redis.multi().del(keys.repoConfig(repo));
    if (stale.length > 0) transaction.hdel(keys.models(), ...stale);
    await transaction.exec();
  }

  /** Records why a repository's newest configuration was rejected. */
  async recordProblems(repo: string, problems: ConfigProblem[]): Promise<void> {
    await this.redis.set(
      keys.repoConfigProblems(repo),
      JSON.stringify(problems),
    );
  }

  async problems(repo: string): Promise<ConfigProblem[]> {
    const raw = await this.redis.get(keys.repoConfigProblems(repo));
    return raw ? (JSON.parse(raw) as ConfigProblem[]) : [];
  }

  async modelKeys(): Promise<string[]> {
    return Object.keys(await this.redis.hgetall(keys.models())).sort();
  }

  /**
   * Finds a model by `name` or `owner/repo:name`. A bare name that two
   * repositories declare is ambiguous, and a typo gets the closest name.
   */
  async lookup(name: string): Promise<ModelLookup> {
    const all = await this.modelKeys();
    const matches = name.includes(":")
      ? all.filter((key) => key === name)
      : all.filter((key) => key.slice(key.indexOf(":") + 1) === name);

    if (matches.length === 1 && matches[0]) {
      const entry = await this.entry(matches[0]);
      if (entry) return { found: true, entry };
    }
    if (matches.length > 1)
      return { found: false, ambiguous: matches, suggestion: undefined };

    const names = all.flatMap((key) => [key, key.slice(key.indexOf(":") + 1)]);
    return {
      found: false,
      ambiguous: [],
      suggestion: closestName(name, names),
    };
  }

  /** Returns a model's entry by its full key, or undefined when it is gone. */
  async entry(key: string): Promise<ModelEntry | undefined> {
    const separator = key.indexOf(":");
    const repo = key.slice(0, separator);
    const name = key.slice(separator + 1);
    const raw = await this.redis.get(keys.repoConfig(repo));
    if (!raw) return undefined;

    const stored = storedRepoSchema.parse(JSON.parse(raw));
    // Own properties only: a name such as "constructor" must not find Object.prototype.
    const model = Object.hasOwn(stored.config.models, name)
      ? stored.config.models[name]
      : undefined;
    if (!model) return undefined;

    return {
      key,
      name,
      repo,
      installationId: stored.installationId,
      model,
      environments: withoutPrototype(stored.config.environments),
      order:
        environmentOrder(stored.config.environments) ??
        Object.keys(stored.config.environments),
      channel: model.channel ?? stored.config.slack.channel,
      alertsChannel:
        stored.config.slack.alerts_channel ?? stored.config.slack.channel,
      jira: stored.config.jira,
      retrain: stored.config.retrain,
      freezes: stored.config.freezes ?? [],
      alerts: stored.config.alerts,
    };
  }
}

/**
 * Copies a record into an object without a prototype, so that looking up a
 * name such as "constructor" finds nothing instead of Object.prototype's.
 */
function withoutPrototype<T>(record: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, record);
}
