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
 * Each finished line is scrubbed once more, because pino writes a child
 * logger's bindings without passing them through any hook or formatter.
 */
export function createLogger(options: LoggerOptions): Logger {
  const scrub = secretScrubber(options.secrets);
  const scrubLine = secretScrubber(
    options.secrets.flatMap((secret) => [
      secret,
      JSON.stringify(secret).slice(1, -1),
    ]),
  );
  const target = options.destination ?? pino.destination(1);

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
    { write: (line: string) => target.write(scrubLine(line) as string) },
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

  const visit = (value: unknown, ancestors: object[]): unknown => {
    if (typeof value === "string") return replace(value);
    if (value === null || typeof value !== "object") return value;
    // A cycle or an absurd depth is cut off, never passed on unscrubbed.
    if (ancestors.includes(value)) return "[Circular]";
    if (ancestors.length >= MAX_DEPTH) return "[too deep to log]";
    const inner = [...ancestors, value];

    if (Array.isArray(value)) return value.map((item) => visit(item, inner));
    if (value instanceof Error)
      return copyError(value, (item) => visit(item, inner));

    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value))
      copy[key] = visit(item, inner);
    return copy;
  };

  return (value) => visit(value, []);
}

/** Nesting beyond which a logged value is replaced, not copied. */
const MAX_DEPTH = 32;

/**
 * Copies an error with its prototype, so its type name survives, and every
 * own property (message, stack, cause, code, status) passed through `visit`.
 */
function copyError(error: Error, visit: (value: unknown) => unknown): Error {
  const copy = Object.create(Object.getPrototypeOf(error) as object) as Error;
  for (const key of Object.getOwnPropertyNames(error)) {
    Object.defineProperty(copy, key, {
      value: visit((error as unknown as Record<string, unknown>)[key]),
      enumerable: Object.prototype.propertyIsEnumerable.call(error, key),
      writable: true,
      configurable: true,
    });
  }
  // A DOMException (the cause of a fetch timeout) keeps these in prototype
  // getters that throw when called on the copy, so the copy gets own values.
  for (const key of ["name", "message", "code"]) {
    if (Object.hasOwn(copy, key) || !(key in error)) continue;
    Object.defineProperty(copy, key, {
      value: visit((error as unknown as Record<string, unknown>)[key]),
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
