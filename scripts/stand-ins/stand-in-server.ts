import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

/** One request a stand-in received, kept for assertions and the demo's output. */
export type RecordedRequest = {
  route: string;
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
  at: number;
  /** The stand-in's reply once it is sent, a fault's reply included. */
  reply?: Reply;
};

export type Reply = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  raw?: string;
};

export type Route = {
  name: string;
  method: string;
  pattern: RegExp;
  handle: (
    request: RecordedRequest,
    match: RegExpExecArray,
  ) => Reply | Promise<Reply>;
};

/**
 * One planned fault of a route. With `status`, the call gets that status
 * (after `delayMs`, when given). Without a status, the call waits `delayMs`
 * and is then handled normally.
 */
export type Fault =
  | { status: number; body?: unknown; delayMs?: number }
  | { status?: undefined; delayMs: number };

/**
 * A small HTTP server on loopback that plays an outside service: it matches
 * routes, records every request, and can be told to fail the next calls of
 * a route, to test retries.
 */
export class StandInServer {
  readonly requests: RecordedRequest[] = [];
  private readonly faults = new Map<string, Fault[]>();
  private readonly listeners = new Set<() => void>();
  private server: Server | undefined;
  private port = 0;

  constructor(
    private readonly name: string,
    private readonly routes: Route[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      void this.dispatch(req, res);
    });
    await new Promise<void>((resolve) =>
      this.server?.listen(0, "127.0.0.1", resolve),
    );
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** Makes the next `count` calls of a route fail as `fault` describes. */
  failNext(route: string, count: number, fault: Fault): void {
    const queue = this.faults.get(route) ?? [];
    for (let i = 0; i < count; i++) queue.push(fault);
    this.faults.set(route, queue);
  }

  callsTo(route: string): RecordedRequest[] {
    return this.requests.filter((request) => request.route === route);
  }

  /** Resolves with the first recorded request that matches, waiting up to `timeoutMs`. */
  async waitFor(
    predicate: (request: RecordedRequest) => boolean,
    timeoutMs = 15_000,
    description = "a matching request",
  ): Promise<RecordedRequest> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.requests.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(
          `${this.name} stand-in did not receive ${description} within ${timeoutMs} ms`,
        );
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Math.min(left, 250));
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.listeners.add(done);
      });
    }
  }

  private async dispatch(
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const body = parseBody(await readBody(req), req.headers["content-type"]);

    for (const route of this.routes) {
      const match =
        route.method === req.method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;

      const request: RecordedRequest = {
        route: route.name,
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        at: Date.now(),
      };
      this.requests.push(request);
      this.notify();

      const fault = this.faults.get(route.name)?.shift();
      if (fault?.delayMs)
        await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      request.reply =
        fault?.status === undefined
          ? await route.handle(request, match)
          : {
              status: fault.status,
              body: fault.body ?? { message: "stand-in fault" },
            };
      send(res, request.reply);
      this.notify();
      return;
    }

    send(res, {
      status: 404,
      body: {
        message: `${this.name} stand-in has no route for ${req.method} ${url.pathname}`,
      },
    });
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
    this.listeners.clear();
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === "") return undefined;
  if (contentType?.includes("application/x-www-form-urlencoded")) {
    const form = Object.fromEntries(new URLSearchParams(text));
    // Slack's Web API clients send structured arguments as JSON strings in form fields.
    for (const [key, value] of Object.entries(form)) {
      if (/^[[{]/.test(value)) {
        try {
          form[key] = JSON.parse(value) as string;
        } catch {
          // Not JSON after all; keep the string.
        }
      }
    }
    return form;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, reply: Reply): void {
  if (reply.raw !== undefined) {
    res.writeHead(reply.status, {
      "content-type": "text/plain",
      ...reply.headers,
    });
    res.end(reply.raw);
    return;
  }
  res.writeHead(reply.status, {
    "content-type": "application/json",
    ...reply.headers,
  });
  res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
}
