import { pino, type Logger } from "pino";

export type { Logger };

/** Field paths that carry credentials in requests, headers and options. */
const REDACT_PATHS = [
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "req.headers.authorization",
  "req.headers.cookie",
  'req.headers["x-hub-signature-256"]',
  'req.headers["x-slack-signature"]',
  "privateKey",
  "*.privateKey",
  "secret",
  "*.secret",
  "password",
  "*.password",
];

export type LoggerOptions = {
  level: string;
  /** Configured secret values, scrubbed from every string a log line carries. */
  secrets: readonly string[];
  destination?: pino.DestinationStream;
};

/**
 * Creates the process logger. pino's redact covers known field names, and a
 * scrubber replaces configured secret values wherever else they appear.
 */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = secretScrubber(options.secrets);

  return pino(
    {
      name: "gantry",
      level: options.level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      formatters: {
        log: (object) => scrub(object) as Record<string, unknown>,
      },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((arg) => scrub(arg)) as Parameters<
            typeof method
          >;
          method.apply(this, scrubbed);
        },
      },
    },
    options.destination,
  );
}

/** Returns a function that deep-copies a value with every secret replaced. */
export function secretScrubber(
  secrets: readonly string[],
): (value: unknown) => unknown {
  const needles = secrets.filter((secret) => secret.length >= 6);
  if (needles.length === 0) return (value) => value;

  const replace = (text: string) =>
    needles.reduce(
      (current, secret) => current.split(secret).join("[redacted]"),
      text,
    );

  const visit = (value: unknown, depth: number): unknown => {
    if (typeof value === "string") return replace(value);
    if (depth > 6 || value === null || typeof value !== "object") return value;
    if (value instanceof Error) {
      const copy = new Error(replace(value.message));
      copy.name = value.name;
      if (value.stack) copy.stack = replace(value.stack);
      return copy;
    }
    if (Array.isArray(value))
      return value.map((item) => visit(item, depth + 1));

    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      copy[key] = visit(item, depth + 1);
    return copy;
  };

  return (value) => visit(value, 0);
}
