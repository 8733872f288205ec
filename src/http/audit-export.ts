import { Router, type Request, type Response } from "express";
import { auditEventPages } from "../audit/read-audit.js";
import type { Services } from "../services.js";
import { keys } from "../store/keys.js";
import { bearerGuard } from "./bearer-guard.js";

export const AUDIT_EXPORT_PATH = "/audit/export";

/** Stream entries read from Redis per page while exporting. */
export const EXPORT_PAGE_SIZE = 500;

type ExportQuery = { stream: string; since: Date | undefined };

/**
 * Builds the router of `GET /audit/export?model=MODEL&since=ISO`, which
 * returns audit events oldest first as JSON lines, guarded by
 * METRICS_TOKEN. Without `model` it exports the stream of every model. It
 * reads the stream a page at a time and writes each page before reading
 * the next, so a large stream is never held in memory.
 */
export function auditExportRouter(
  services: Services,
  options: { pageSize?: number } = {},
): Router {
  const router = Router();
  const guard = bearerGuard({
    token: services.settings.metricsToken,
    variable: "METRICS_TOKEN",
    realm: "gantry-audit",
  });

  router.get(AUDIT_EXPORT_PATH, guard, async (req, res) => {
    const query = await parseExportQuery(services, req);
    if (!query.ok) {
      res.status(400).json({ error: query.error });
      return;
    }
    await streamEvents(services, res, {
      ...query.value,
      pageSize: options.pageSize ?? EXPORT_PAGE_SIZE,
    });
  });
  return router;
}

async function parseExportQuery(
  services: Pick<Services, "registry" | "redis">,
  req: Request,
): Promise<{ ok: true; value: ExportQuery } | { ok: false; error: string }> {
  const { model, since } = req.query;
  if (model !== undefined && typeof model !== "string")
    return { ok: false, error: "give the query parameter `model` once" };
  if (since !== undefined && typeof since !== "string")
    return { ok: false, error: "give the query parameter `since` once" };

  let sinceDate: Date | undefined;
  if (since !== undefined) {
    sinceDate = parseIsoTime(since);
    if (!sinceDate)
      return {
        ok: false,
        error: `invalid since ${JSON.stringify(since)}; use an ISO 8601 time such as 2025-03-28T00:00:00Z`,
      };
  }

  if (model === undefined || model === "")
    return { ok: true, value: { stream: keys.auditAll(), since: sinceDate } };
  const lookup = await services.registry.lookup(model);
  if (lookup.found)
    return {
      ok: true,
      value: { stream: keys.auditModel(lookup.entry.key), since: sinceDate },
    };

  // A model removed from configuration keeps its history under its full key.
  if (
    model.includes(":") &&
    (await services.redis.exists(keys.auditModel(model)))
  )
    return {
      ok: true,
      value: { stream: keys.auditModel(model), since: sinceDate },
    };
  if (lookup.ambiguous.length > 0)
    return {
      ok: false,
      error: `model ${JSON.stringify(model)} is declared in several repositories; name one of ${lookup.ambiguous.join(", ")}`,
    };
  const hint = lookup.suggestion
    ? `; did you mean ${JSON.stringify(lookup.suggestion)}?`
    : "; use a model name from .github/gantry.yml or owner/repo:name";
  return { ok: false, error: `unknown model ${JSON.stringify(model)}${hint}` };
}

/** Parses an ISO 8601 date or date and time; a time without a zone is taken as UTC. */
function parseIsoTime(text: string): Date | undefined {
  const iso =
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;
  if (!iso.test(text)) return undefined;

  const hasZone = /T.*(Z|[+-]\d{2}:\d{2})$/.test(text);
  const time = Date.parse(text.includes("T") && !hasZone ? `${text}Z` : text);
  // Date.parse rolls 2025-02-30 over to 2 March, and stream ids start at
  // the Unix epoch, so both are rejected rather than read differently.
  if (Number.isNaN(time) || time < 0) return undefined;
  const day = text.slice(0, 10);
  if (
    new Date(Date.parse(`${day}T00:00:00Z`)).toISOString().slice(0, 10) !== day
  ) {
    return undefined;
  }
  return new Date(time);
}

async function streamEvents(
  services: Services,
  res: Response,
  params: ExportQuery & { pageSize: number },
): Promise<void> {
  res.status(200).type("application/x-ndjson; charset=utf-8");
  let written = 0;

  try {
    for await (const page of auditEventPages(services.redis, params)) {
      if (res.destroyed) return;
      const lines = page
        .map(
          (event) => `${JSON.stringify({ id: event.id, ...event.fields })}\n`,
        )
        .join("");
      written += page.length;
      if (!res.write(lines)) await drainedOrClosed(res);
    }
    res.end();
  } catch (error) {
    services.log.error(
      { err: error, stream: params.stream, written },
      "audit export failed part way",
    );
    // The status line was sent with the first page, so only a cut connection
    // can show the client that the export is incomplete.
    res.destroy();
  }
}

/** Waits until the client has taken the buffered page, or has gone away. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
}
