import { LogLevel, type Logger as SlackLogger } from "@slack/logger";
import type { Logger } from "./logger.js";

/** Adapts pino to the logger interface Bolt and the Slack clients expect. */
export function slackLogger(log: Logger): SlackLogger {
  let level = LogLevel.INFO;
  const write =
    (method: "debug" | "info" | "warn" | "error") =>
    (...messages: unknown[]) => {
      log[method](
        {
          slack: messages.map((message) =>
            message instanceof Error ? message.message : message,
          ),
        },
        "slack client",
      );
    };

  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
