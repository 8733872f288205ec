import nock from "nock";
import { afterEach, beforeAll } from "vitest";

// Unit tests reach outside services only through nock; loopback stays open
// for Redis, the service under test and stand-in servers.
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(
    (host) => host.startsWith("127.0.0.1") || host.startsWith("localhost"),
  );
});

afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0)
    throw new Error(`unused HTTP interceptors: ${pending.join(", ")}`);
});
