import { describe, expect, it } from "vitest";
import { keys } from "../../src/store/keys.js";
import { storeSampleConfig } from "../helpers/repo-config.js";
import { useWebServer } from "../helpers/web-server.js";

const METRICS_TOKEN = "test-metrics-token-0000000001";
const CHURN = "example-user/Hello-World:churn";
const { server } = useWebServer({ METRICS_TOKEN });

function exportUrl(query: string): string {
  return `${server().url}/audit/export${query}`;
}

function authorized(token = METRICS_TOKEN): RequestInit {
  return { headers: { authorization: `Bearer ${token}` } };
}

/** Appends audit events as the promotion scripts write them, one second apart from `start`. */
async function appendEvents(count: number, start = Date.UTC(2025, 2, 1)) {
  const pipeline = server().services.redis.pipeline();
  for (let i = 0; i < count; i++) {
    pipeline.xadd(
      keys.auditModel(CHURN),
      `${start + i * 1000}-0`,
      "promotion",
      `prm_${i}`,
      "model",
      CHURN,
      "version",
      "42",
      "environment",
      "staging",
      "action",
      "transition",
      "from",
      "pending_approval",
      "to",
      "approved",
      "actor",
      "U0000002",
      "reason",
      "",
      "at",
      new Date(start + i * 1000).toISOString(),
      "rev",
      String(i),
    );
  }
  await pipeline.exec();
}

function parseLines(text: string): Record<string, string>[] {
  return text
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, string>);
}

describe("GET /audit/export", () => {
  it.each<[string, RequestInit]>([
    ["no token", {}],
    ["a wrong token", authorized("test-metrics-token-0000000002")],
    [
      "another scheme",
      { headers: { authorization: `Basic ${METRICS_TOKEN}` } },
    ],
  ])("answers 401 to %s", async (_case, init) => {
    await storeSampleConfig(server().services.registry);
    await appendEvents(1);

    const response = await fetch(exportUrl("?model=churn"), init);

    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect(await response.text()).not.toContain("prm_0");
  });

  it("returns the model's events as JSON lines", async () => {
    await storeSampleConfig(server().services.registry);
    await appendEvents(2);

    const response = await fetch(exportUrl("?model=churn"), authorized());
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe(
      "application/x-ndjson; charset=utf-8",
    );
    expect(text.endsWith("\n")).toBe(true);
    expect(parseLines(text)).toEqual([
      {
        id: `${Date.UTC(2025, 2, 1)}-0`,
        promotion: "prm_0",
        model: CHURN,
        version: "42",
        environment: "staging",
        action: "transition",
        from: "pending_approval",
        to: "approved",
        actor: "U0000002",
        reason: "",
        at: "2025-03-01T00:00:00.000Z",
        rev: "0",
      },
      expect.objectContaining({ promotion: "prm_1", rev: "1" }),
    ]);
  });

  it("returns only events at or after since", async () => {
    await storeSampleConfig(server().services.registry);
    await appendEvents(5);

    const response = await fetch(
      exportUrl("?model=churn&since=2025-03-01T00:00:03Z"),
      authorized(),
    );

    expect(
      parseLines(await response.text()).map((line) => line.promotion),
    ).toEqual(["prm_3", "prm_4"]);
  });

  it("pages through a stream larger than one page", async () => {
    await storeSampleConfig(server().services.registry);
    await appendEvents(1_205);

    const response = await fetch(exportUrl("?model=churn"), authorized());
    const lines = parseLines(await response.text());

    expect(lines).toHaveLength(1_205);
    expect(new Set(lines.map((line) => line.id)).size).toBe(1_205);
    expect(lines[0]?.promotion).toBe("prm_0");
    expect(lines[500]?.promotion).toBe("prm_500");
    expect(lines[1_204]?.promotion).toBe("prm_1204");
  });

  it("exports the global stream without a model", async () => {
    await server().services.redis.xadd(
      keys.auditAll(),
      "*",
      "action",
      "freeze",
      "environment",
      "production",
    );

    const response = await fetch(exportUrl(""), authorized());

    expect(parseLines(await response.text())).toEqual([
      expect.objectContaining({ action: "freeze", environment: "production" }),
    ]);
  });

  it("returns nothing for a model without events", async () => {
    await storeSampleConfig(server().services.registry);

    const response = await fetch(exportUrl("?model=churn"), authorized());

    expect(response.status).toBe(200);
    expect(await response.text()).toBe("");
  });

  it.each<[string, string]>([
    ["?model=churn&since=yesterday", 'invalid since \\"yesterday\\"'],
    ["?model=churn&since=2025-13-45", "invalid since"],
    ["?model=chrun", 'unknown model \\"chrun\\"; did you mean \\"churn\\"?'],
    ["?model=churn&model=other", "give the query parameter `model` once"],
  ])("answers 400 to %s", async (query, message) => {
    await storeSampleConfig(server().services.registry);

    const response = await fetch(exportUrl(query), authorized());

    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
  });
});

describe("GET /audit/export without METRICS_TOKEN", () => {
  const { server: unconfigured } = useWebServer({ METRICS_TOKEN: undefined });

  it("answers 503 and says what to set", async () => {
    const response = await fetch(
      `${unconfigured().url}/audit/export?model=churn`,
      authorized(),
    );

    expect(response.status).toBe(503);
    expect(await response.text()).toContain("METRICS_TOKEN is not set");
  });
});
