import type { Redis } from "ioredis";
import { parseAuditEntry, type AuditEvent } from "./audit-event.js";

/** Reads the newest `count` events of an audit stream, newest first. */
export async function recentAuditEvents(
  redis: Redis,
  stream: string,
  count: number,
): Promise<AuditEvent[]> {
  const entries = await redis.xrevrange(stream, "+", "-", "COUNT", count);
  return entries.map(parseAuditEntry);
}

/**
 * Reads an audit stream oldest first in pages of `pageSize` entries, from
 * the first event Redis stored at or after `since`, so a caller can send
 * each page before reading the next.
 */
export async function* auditEventPages(
  redis: Redis,
  params: { stream: string; since: Date | undefined; pageSize: number },
): AsyncGenerator<AuditEvent[]> {
  let start = params.since ? `${params.since.getTime()}-0` : "-";

  for (;;) {
    const entries = await redis.xrange(
      params.stream,
      start,
      "+",
      "COUNT",
      params.pageSize,
    );
    if (entries.length === 0) return;

    yield entries.map(parseAuditEntry);
    const last = entries[entries.length - 1];
    if (!last || entries.length < params.pageSize) return;
    // An exclusive start (Redis 6.2 or newer) skips the entry already sent.
    start = `(${last[0]}`;
  }
}
