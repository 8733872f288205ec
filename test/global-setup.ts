import type { TestProject } from "vitest/node";
import {
  hasRedisServer,
  startDevRedis,
  type DevRedis,
} from "../src/dev-redis.js";

let devRedis: DevRedis | undefined;

/**
 * Gives every test a real Redis: REDIS_URL when set (CI starts one), or a
 * throwaway redis-server when the binary is on the PATH.
 */
export async function setup(project: TestProject): Promise<void> {
  let url = process.env.REDIS_URL;
  if (!url) {
    if (!hasRedisServer()) {
      throw new Error(
        "Tests need Redis: set REDIS_URL, or install redis-server (apt-get install -y redis-server).",
      );
    }
    devRedis = await startDevRedis();
    url = devRedis.url;
  }
  project.provide("redisUrl", url);
}

export async function teardown(): Promise<void> {
  devRedis?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
