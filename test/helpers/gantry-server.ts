import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Probot } from "probot";
import { afterEach, beforeEach } from "vitest";
import { createWebServer } from "../../src/server.js";
import type { Services } from "../../src/services.js";
import { useRedis } from "./redis.js";
import { testServices } from "./services.js";

export type GantryServer = {
  services: Services;
  probot: Probot;
  /** Base URL of the server on loopback, without a trailing slash. */
  url: string;
  logs: string[];
};

/**
 * Runs Gantry's web server in this process for each test: a real Probot and
 * Bolt behind createWebServer, listening on 127.0.0.1 on a free port, on
 * this file's test Redis database, which is emptied before each test.
 */
export function useGantryServer(): { server: () => GantryServer } {
  const { url: redisUrl } = useRedis();
  let running: (GantryServer & { stop: () => Promise<void> }) | undefined;

  beforeEach(async () => {
    const { services, probot, logs, close } = testServices(redisUrl);
    const web = await createWebServer({ services, probot, serverDefaults: {} });
    const http = await new Promise<Server>((resolve) => {
      const listening = web.app.listen(0, "127.0.0.1", () =>
        resolve(listening),
      );
    });
    const { port } = http.address() as AddressInfo;

    running = {
      services,
      probot,
      logs,
      url: `http://127.0.0.1:${port}`,
      stop: async () => {
        await new Promise<void>((resolve) => {
          http.close(() => resolve());
          http.closeAllConnections();
        });
        await web.close();
        await close();
      },
    };
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });

  return {
    server: () => {
      if (!running)
        throw new Error("useGantryServer: no server outside a test");
      return running;
    },
  };
}
