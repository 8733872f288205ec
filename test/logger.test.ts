import { describe, expect, it } from "vitest";
import { createLogger, secretScrubber } from "../src/logger.js";

const SECRET = "xoxb-secret-bot-token-0001";
const OTHER_SECRET = "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END";

/** Creates a logger at trace level that keeps its output lines for the test to read. */
function capturedLogger(secrets: string[] = [SECRET, OTHER_SECRET]) {
  const lines: string[] = [];
  const log = createLogger({
    level: "trace",
    secrets,
    destination: { write: (line: string) => void lines.push(line) },
  });
  const records = () =>
    lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, records };
}

describe("createLogger", () => {
  it("scrubs a secret from the message", () => {
    const { log, lines, records } = capturedLogger();

    log.info(`posting with token ${SECRET}`);
    log.warn("posting with token %s", SECRET);

    expect(lines.join("")).not.toContain(SECRET);
    expect(records().map((record) => record.msg)).toEqual([
      "posting with token [redacted]",
      "posting with token [redacted]",
    ]);
  });

  it("scrubs secrets from fields", () => {
    const { log, lines, records } = capturedLogger();

    log.info(
      {
        url: `https://slack.com/api/chat.postMessage?token=${SECRET}`,
        request: { body: { text: `key ${OTHER_SECRET}` } },
        values: ["plain", SECRET],
      },
      "slack call",
    );

    expect(lines.join("")).not.toContain(SECRET);
    expect(lines.join("")).not.toContain("MIIEow");
    expect(records()[0]).toMatchObject({
      url: "https://slack.com/api/chat.postMessage?token=[redacted]",
      request: { body: { text: "key [redacted]" } },
      values: ["plain", "[redacted]"],
    });
  });

  it("scrubs deeply nested fields", () => {
    const { log, lines } = capturedLogger();
    let nested: Record<string, unknown> = { leaf: SECRET };
    for (let depth = 0; depth < 12; depth++) nested = { inner: nested };

    log.info({ nested }, "deep");

    expect(lines).toHaveLength(1);
    expect(lines.join("")).not.toContain(SECRET);
  });

  it("scrubs an error under err", () => {
    const { log, lines, records } = capturedLogger();
    const error = new Error(`Slack rejected token ${SECRET}`);

    log.error({ err: error, promotionId: "prm_1" }, "card failed");

    expect(lines.join("")).not.toContain(SECRET);
    const record = records()[0] ?? {};
    const err = record.err as Record<string, unknown>;
    expect(err.message).toBe("Slack rejected token [redacted]");
    expect(err.stack).toMatch(
      /^Error: Slack rejected token \[redacted\]\n\s+at /,
    );
    expect(record.promotionId).toBe("prm_1");
  });

  it("scrubs an error logged alone", () => {
    const { log, lines, records } = capturedLogger();

    log.error(new TypeError(`bad header ${SECRET}`));

    expect(lines.join("")).not.toContain(SECRET);
    const err = records()[0]?.err as Record<string, unknown>;
    expect(err.message).toBe("bad header [redacted]");
    expect(err.type).toBe("TypeError");
  });

  it("scrubs an error's own fields", () => {
    const { log, lines, records } = capturedLogger();
    const error = Object.assign(new Error("request failed"), {
      status: 401,
      request: { headers: { "x-token": SECRET } },
    });

    log.warn({ err: error }, "github call failed");

    expect(lines.join("")).not.toContain(SECRET);
    expect((records()[0]?.err as Record<string, unknown>).status).toBe(401);
  });

  it("scrubs an error's cause", () => {
    const { log, lines } = capturedLogger();
    const error = new Error("deployment failed", {
      cause: new Error(`token ${SECRET} expired`),
    });

    log.error({ err: error }, "job failed");

    expect(lines).toHaveLength(1);
    expect(lines.join("")).not.toContain(SECRET);
  });

  it("logs a fetch timeout's cause", () => {
    const { log, lines, records } = capturedLogger();
    const cause = new DOMException(
      `The operation was aborted due to timeout (${SECRET})`,
      "TimeoutError",
    );

    log.warn({ err: new Error("MLflow timed out", { cause }) }, "retrying");

    expect(lines).toHaveLength(1);
    expect(lines.join("")).not.toContain(SECRET);
    const err = records()[0]?.err as Record<string, unknown>;
    expect(err.message).toContain("MLflow timed out");
    expect(err.message).toContain("aborted due to timeout ([redacted])");
  });

  it("scrubs child logger bindings", () => {
    const { log, lines } = capturedLogger();

    log.child({ url: `https://hooks.slack.com/${SECRET}` }).info("reply sent");

    expect(lines).toHaveLength(1);
    expect(lines.join("")).not.toContain(SECRET);
  });

  it.each([
    ["token", { token: "short-token" }],
    ["nested token", { slack: { token: "short-token" } }],
    ["authorization", { headers: { authorization: "Bearer short-token" } }],
    [
      "request authorization",
      { req: { headers: { authorization: "Bearer short-token" } } },
    ],
    ["privateKey", { github: { privateKey: "short-token" } }],
    ["password", { jira: { password: "short-token" } }],
    ["secret", { secret: "short-token" }],
  ])("redacts the %s field", (_, fields) => {
    const { log, lines } = capturedLogger([]);

    log.info(fields, "call");

    expect(lines[0]).not.toContain("short-token");
    expect(lines[0]).toContain("[redacted]");
  });

  it("keeps values that are not secret", () => {
    const { log, records } = capturedLogger();

    log.info({ promotionId: "prm_1", attempts: 3, ok: true }, "job done");

    expect(records()[0]).toMatchObject({
      msg: "job done",
      promotionId: "prm_1",
      attempts: 3,
      ok: true,
    });
  });
});

describe("secretScrubber", () => {
  it("ignores secrets shorter than six characters", () => {
    const scrub = secretScrubber(["abc", "12345"]);

    expect(scrub("abc 12345")).toBe("abc 12345");
  });

  it("replaces every occurrence", () => {
    const scrub = secretScrubber([SECRET]);

    expect(scrub(`${SECRET}/${SECRET}`)).toBe("[redacted]/[redacted]");
  });

  it("copies instead of changing the input", () => {
    const scrub = secretScrubber([SECRET]);
    const input = { text: SECRET };

    const output = scrub(input);

    expect(output).toEqual({ text: "[redacted]" });
    expect(input.text).toBe(SECRET);
  });

  it("survives a cycle", () => {
    const scrub = secretScrubber([SECRET]);
    const input: Record<string, unknown> = { text: SECRET };
    input.self = input;

    const output = scrub(input) as Record<string, unknown>;

    expect(output.text).toBe("[redacted]");
  });
});
