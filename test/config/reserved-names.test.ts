import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { validateRepoConfig } from "../../src/config/repo-config.js";
import { checkEnvironment } from "../../handlers/slack/model-lookup.js";
import { useRedis } from "../helpers/redis.js";
import {
  INSTALLATION_ID,
  REPO,
  repoConfig,
  SAMPLE_CONFIG,
} from "../helpers/repo-config.js";
import { ConfigRegistry } from "../../src/config/config-registry.js";

const { redis } = useRedis();

describe("reserved names", () => {
  it.each(["constructor", "valueOf", "hasOwnProperty"])(
    "rejects environment %s",
    (name) => {
      const config = parse(
        `models: { churn: { registry: churn-model } }\nenvironments:\n  dev: {}\n  ${name}: { after: dev }\n`,
      );

      const result = validateRepoConfig(config);

      expect(result.ok).toBe(false);
      if (!result.ok)
        expect(result.problems[0]?.message).toMatch(/it is reserved/);
    },
  );

  it("rejects an after naming an inherited property", () => {
    const result = validateRepoConfig(
      parse(`environments:\n  dev: { after: constructor }\n`),
    );

    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.map((problem) => problem.path)).toContain(
        "environments.dev.after",
      );
  });

  it("finds no environment named constructor", async () => {
    const registry = new ConfigRegistry(redis());
    await registry.storeRepo({
      repo: REPO,
      installationId: INSTALLATION_ID,
      config: repoConfig(SAMPLE_CONFIG),
    });
    const entry = await registry.entry(`${REPO}:churn`);
    if (!entry) throw new Error("model not indexed");

    expect(entry.environments.constructor).toBeUndefined();
    expect(checkEnvironment(entry, "constructor")).toMatch(
      /^`constructor` is not an environment of churn/,
    );
    expect(checkEnvironment(entry, "staging")).toBeUndefined();
  });

  it("finds no model named constructor", async () => {
    const registry = new ConfigRegistry(redis());
    await registry.storeRepo({
      repo: REPO,
      installationId: INSTALLATION_ID,
      config: repoConfig(SAMPLE_CONFIG),
    });

    expect(await registry.entry(`${REPO}:constructor`)).toBeUndefined();
  });
});
