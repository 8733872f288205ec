import { describe, expect, it } from "vitest";
import { parseGantryCommand } from "../../handlers/slack/commands/gantry/parse-gantry-command.js";
import { useWebServer } from "../helpers/web-server.js";

const METRICS_TOKEN = "test-metrics-token-0000000002";
const { server } = useWebServer({ METRICS_TOKEN });

describe("/gantry lock durations", () => {
  it.each(["-1h", "2hours", "+5"])("rejects %s as a duration", (duration) => {
    const result = parseGantryCommand(
      `lock staging ${duration} "release train"`,
    );

    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.startsWith(`Invalid duration \`${duration}\``)).toBe(
        true,
      );
    }
  });

  it("still reads a reason without a duration", () => {
    const result = parseGantryCommand(`lock staging "release train"`);

    expect(result).toMatchObject({
      ok: true,
      command: {
        name: "lock",
        environment: "staging",
        reason: "release train",
      },
    });
  });
});

describe("audit export since", () => {
  it.each(["2025-02-30", "0000-01-01", "1969-12-31T23:00:00Z"])(
    "rejects %s with 400",
    async (since) => {
      const response = await fetch(
        `${server().url}/audit/export?since=${since}`,
        {
          headers: { authorization: `Bearer ${METRICS_TOKEN}` },
        },
      );

      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toContain(
        `invalid since "${since}"`,
      );
    },
  );

  it("accepts a real date", async () => {
    const response = await fetch(
      `${server().url}/audit/export?since=2024-02-29`,
      {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      },
    );

    expect(response.status).toBe(200);
  });
});
