import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

export type DevRedis = { url: string; stop: () => void };

/** Returns true when a `redis-server` binary is on the PATH. */
export function hasRedisServer(): boolean {
  return (
    spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0
  );
}

/**
 * Starts a throwaway redis-server on a free loopback port, with persistence
 * off, for developer mode and the demo. It is killed when this process exits.
 */
export async function startDevRedis(): Promise<DevRedis> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    "redis-server",
    [
      "--port",
      String(port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--appendonly",
      "no",
    ],
    // Its own process group, so a Ctrl-C to the terminal does not kill Redis
    // before the workers have closed their connections.
    { stdio: ["ignore", "pipe", "pipe"], detached: true },
  );

  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    };
    child.stdout?.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code) =>
      reject(
        new Error(`redis-server exited with ${code}: ${output.slice(-500)}`),
      ),
    );
  });

  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
  };
  process.once("exit", stop);
  return { url: `redis://127.0.0.1:${port}`, stop };
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address
          ? resolve(address.port)
          : reject(new Error("no port")),
      );
    });
  });
}
