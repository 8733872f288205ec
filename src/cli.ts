#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { checkConfigText, formatProblems } from "./config/check-config.js";
import {
  InvalidEnvironmentError,
  loadSettings,
  secretValues,
} from "./config/env.js";
import { readServerDefaults } from "./config/server-defaults.js";
import { hasRedisServer, startDevRedis, type DevRedis } from "./dev-redis.js";
import { createLogger } from "./logger.js";
import { run, type Role } from "./runtime.js";

const USAGE = `Usage: gantry <command> [options]

Commands:
  start [--dev]               web server and queue workers in one process
  web [--dev]                 HTTP only: webhooks, Slack, health
  worker [--dev]              queue workers only; run many against one Redis
  check-config FILE [--defaults FILE]
                              validate a .github/gantry.yml and print each
                              error with its YAML path and line

--dev starts a throwaway local redis-server when REDIS_URL is not set.`;

/** How long shutdown waits for the server, jobs and connections to close. */
const STOP_TIMEOUT_MS = 20_000;

const ROLES: Record<string, Role> = {
  start: { web: true, worker: true },
  web: { web: true, worker: false },
  worker: { web: false, worker: true },
};

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dev: { type: "boolean" },
      defaults: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command, ...rest] = positionals;

  if (values.help || !command) {
    console.log(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (command === "check-config") return checkConfig(rest[0], values.defaults);

  const role = ROLES[command];
  if (!role) {
    console.error(`Unknown command "${command}".\n\n${USAGE}`);
    return 2;
  }
  return serve(role, values.dev === true);
}

function checkConfig(
  file: string | undefined,
  defaultsFile: string | undefined,
): number {
  if (!file) {
    console.error(
      "check-config needs a file: gantry check-config .github/gantry.yml",
    );
    return 2;
  }

  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? "unreadable";
    console.error(`${file}: cannot be read (${reason}); check the path`);
    return 2;
  }

  let result;
  try {
    result = checkConfigText(
      text,
      readServerDefaults(defaultsFile, "--defaults"),
    );
  } catch (error) {
    // A defaults file that cannot be read, or YAML the parser cannot turn
    // into data (an alias to no anchor), is reported like any problem.
    console.error(`${file}: ${(error as Error).message}`);
    return 1;
  }
  if (result.ok) {
    const models = Object.keys(result.config.models);
    console.log(
      `${file}: valid (${models.length} model(s): ${models.join(", ") || "none"})`,
    );
    return 0;
  }
  console.error(
    `${file}: ${result.problems.length} problem(s)\n${formatProblems(result.problems)}`,
  );
  return 1;
}

async function serve(role: Role, dev: boolean): Promise<number> {
  let settings;
  try {
    settings = loadSettings(process.env, { allowMissingRedis: dev });
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  let serverDefaults: unknown;
  try {
    serverDefaults = readServerDefaults(settings.serverConfigPath);
  } catch (error) {
    console.error(`Gantry cannot start: ${(error as Error).message}`);
    return 1;
  }

  const log = createLogger({
    level: settings.logLevel,
    secrets: secretValues(settings),
  });
  let devRedis: DevRedis | undefined;
  let redisUrl = settings.redisUrl;
  if (!redisUrl) {
    if (!hasRedisServer()) {
      console.error(
        "REDIS_URL is not set and redis-server is not on the PATH; install redis-server or set REDIS_URL.",
      );
      return 1;
    }
    devRedis = await startDevRedis();
    redisUrl = devRedis.url;
    log.info({ redisUrl }, "developer mode: started a throwaway redis-server");
  }

  const running = await run({
    settings,
    log,
    redisUrl,
    role,
    serverDefaults,
  });

  await new Promise<void>((resolve) => {
    const shutdown = (signal: NodeJS.Signals) => {
      log.info({ signal }, "gantry stopping");
      resolve();
    };
    process.once("SIGTERM", shutdown);
    process.once("SIGINT", shutdown);
  });
  const stopped = await Promise.race([
    running.stop().then(() => true),
    new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref(),
    ),
  ]);
  if (!stopped)
    log.warn(
      { timeoutMs: STOP_TIMEOUT_MS },
      "shutdown timed out; exiting anyway",
    );
  devRedis?.stop();

  // Reconnect timers of connections that could not close (Redis down)
  // would keep the event loop alive, so a server process exits explicitly.
  process.exit(0);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(
      error instanceof Error ? (error.stack ?? error.message) : error,
    );
    process.exitCode = 1;
  },
);
