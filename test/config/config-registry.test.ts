import { describe, expect, it } from "vitest";
import { ConfigRegistry } from "../../src/config/config-registry.js";
import { keys } from "../../src/store/keys.js";
import { useRedis } from "../helpers/redis.js";
import {
  INSTALLATION_ID,
  REPO,
  SAMPLE_CONFIG,
  storeSampleConfig,
} from "../helpers/repo-config.js";

const { redis } = useRedis();

const TWO_MODELS = `slack: { channel: C0RELEASES, alerts_channel: C0ALERTS }
models:
  churn: { registry: churn-model }
  fraud: { registry: fraud-model, channel: C0FRAUD }
environments:
  production: { after: staging }
  staging: { after: dev }
  dev: { approvals: 0 }
`;

describe("ConfigRegistry.storeRepo", () => {
  it("indexes the repository's models", async () => {
    const registry = new ConfigRegistry(redis());

    await storeSampleConfig(registry, { text: TWO_MODELS });

    expect(await redis().hgetall(keys.models())).toEqual({
      [`${REPO}:churn`]: REPO,
      [`${REPO}:fraud`]: REPO,
    });
    const stored = JSON.parse(
      (await redis().get(keys.repoConfig(REPO))) ?? "{}",
    ) as Record<string, unknown>;
    expect(stored).toMatchObject({
      repo: REPO,
      installationId: INSTALLATION_ID,
    });
    expect(Date.parse(String(stored.loadedAt))).not.toBeNaN();
  });

  it("drops models removed from the file", async () => {
    const registry = new ConfigRegistry(redis());
    await storeSampleConfig(registry, { text: TWO_MODELS });

    await storeSampleConfig(registry, { text: SAMPLE_CONFIG });

    expect(await registry.modelKeys()).toEqual([`${REPO}:churn`]);
    expect(await registry.entry(`${REPO}:fraud`)).toBeUndefined();
    expect((await registry.lookup("fraud")).found).toBe(false);
  });

  it("keeps other repositories' models", async () => {
    const registry = new ConfigRegistry(redis());
    await storeSampleConfig(registry, { repo: "example-org/pricing" });

    await storeSampleConfig(registry, { text: TWO_MODELS });
    await storeSampleConfig(registry, { text: SAMPLE_CONFIG });

    expect(await registry.modelKeys()).toEqual([
      "example-org/pricing:churn",
      `${REPO}:churn`,
    ]);
  });

  it("clears recorded problems", async () => {
    const registry = new ConfigRegistry(redis());
    await registry.recordProblems(REPO, [
      { path: "environments.staging.after", message: "names unknown" },
    ]);

    await storeSampleConfig(registry);

    expect(await registry.problems(REPO)).toEqual([]);
    expect(await redis().exists(keys.repoConfigProblems(REPO))).toBe(0);
  });
});

describe("ConfigRegistry.lookup", () => {
  it("finds a model by short name", async () => {
    const registry = new ConfigRegistry(redis());
    await storeSampleConfig(registry);

    const lookup = await registry.lookup("churn");

    expect(lookup.found).toBe(true);
    if (!lookup.found) return;
    expect(lookup.entry).toMatchObject({
      key: `${REPO}:churn`,
      name: "churn",
      repo: REPO,
      installationId: INSTALLATION_ID,
      model: { registry: "churn-model", training_workflow: "train.yml" },
      order: ["dev", "staging", "production"],
      channel: "C0RELEASES",
      alertsChannel: "C0RELEASES",
    });
    expect(lookup.entry.environments.staging).toMatchObject({
      approvals: 1,
      approvers: ["S0MLLEADS"],
    });
  });

  it("finds a model by owner/repo:name", async () => {
    const registry = new ConfigRegistry(redis());
    await storeSampleConfig(registry);

    const lookup = await registry.lookup(`${REPO}:churn`);

    expect(lookup.found).toBe(true);
    expect(lookup.found ? lookup.entry.key : undefined).toBe(`${REPO}:churn`);
  });

  it("resolves channels and order per model", async () => {
    const registry = new ConfigRegistry(redis());
    await storeSampleConfig(registry, { text: TWO_MODELS });

    const fraud = await registry.entry(`${REPO}:fraud`);
    const churn = await registry.entry(`${REPO}:churn`);

    expect(fraud?.channel).toBe("C0FRAUD");
    expect(churn?.channel).toBe("C0RELEASES");
    expect(churn?.alertsChannel).toBe("C0ALERTS");
    expect(churn?.order).toEqual(["dev", "staging", "production"]);
  });

  it("reports a name two repositories declare", async () => {
    const registry = new ConfigRegistry(redis());
    await storeSampleConfig(registry);
    await storeSampleConfig(registry, { repo: "example-org/pricing" });

    const lookup = await registry.lookup("churn");
    const qualified = await registry.lookup("example-org/pricing:churn");

    expect(lookup).toEqual({
      found: false,
      ambiguous: ["example-org/pricing:churn", `${REPO}:churn`],
      suggestion: undefined,
    });
    expect(qualified.found ? qualified.entry.repo : undefined).toBe(
      "example-org/pricing",
    );
  });

  it.each([
    { input: "chrun", suggestion: "churn" },
    { input: "chur", suggestion: "churn" },
    { input: `${REPO}:chrn`, suggestion: `${REPO}:churn` },
    { input: "pricing", suggestion: undefined },
  ])("suggests $suggestion for $input", async ({ input, suggestion }) => {
    const registry = new ConfigRegistry(redis());
    await storeSampleConfig(registry);

    const lookup = await registry.lookup(input);

    expect(lookup).toEqual({ found: false, ambiguous: [], suggestion });
  });

  it("finds nothing in an empty registry", async () => {
    const registry = new ConfigRegistry(redis());

    const lookup = await registry.lookup("churn");

    expect(lookup).toEqual({
      found: false,
      ambiguous: [],
      suggestion: undefined,
    });
  });
});

describe("ConfigRegistry.removeRepo", () => {
  it("removes the configuration and its models", async () => {
    const registry = new ConfigRegistry(redis());
    await storeSampleConfig(registry, { text: TWO_MODELS });
    await storeSampleConfig(registry, { repo: "example-org/pricing" });

    await registry.removeRepo(REPO);

    expect(await registry.modelKeys()).toEqual(["example-org/pricing:churn"]);
    expect(await redis().exists(keys.repoConfig(REPO))).toBe(0);
    expect(await registry.entry(`${REPO}:churn`)).toBeUndefined();
  });
});

describe("ConfigRegistry.recordProblems", () => {
  it("stores the newest problems", async () => {
    const registry = new ConfigRegistry(redis());
    const problems = [
      { path: "models.churn.gates.accuracy", message: "invalid gate" },
    ];

    await registry.recordProblems(REPO, [{ path: "a", message: "old" }]);
    await registry.recordProblems(REPO, problems);

    expect(await registry.problems(REPO)).toEqual(problems);
    expect(await registry.problems("example-org/pricing")).toEqual([]);
  });
});
