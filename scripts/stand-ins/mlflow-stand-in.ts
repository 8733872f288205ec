import { StandInServer } from "./stand-in-server.js";

export type StandInVersion = {
  name: string;
  version: string;
  runId: string;
  metrics: Record<string, number>;
  tags?: Record<string, string>;
  /** When the version was registered, in epoch milliseconds; 1715000000000 when unset. */
  createdAt?: number;
};

const CREATED_AT = 1_715_000_000_000;

/**
 * Plays MLflow's model registry REST API (2.0): versions, runs, aliases and
 * version search with filters on name, run_id and tags joined by AND.
 */
export class MlflowStandIn extends StandInServer {
  /** Alias assignments as "name/alias" → version. */
  readonly aliases = new Map<string, string>();

  constructor(readonly versions: StandInVersion[]) {
    const notFound = (what: string) => ({
      status: 404,
      body: {
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: `${what} not found`,
      },
    });
    const find = (name: string, version: string) =>
      this.versions.find(
        (entry) => entry.name === name && entry.version === version,
      );

    super("MLflow", [
      {
        name: "model-versions/get",
        method: "GET",
        pattern: /^\/api\/2\.0\/mlflow\/model-versions\/get$/,
        handle: (request) => {
          const found = find(
            request.query.get("name") ?? "",
            request.query.get("version") ?? "",
          );
          return found
            ? { status: 200, body: { model_version: this.versionJson(found) } }
            : notFound("Model version");
        },
      },
      {
        name: "model-versions/search",
        method: "GET",
        pattern: /^\/api\/2\.0\/mlflow\/model-versions\/search$/,
        handle: (request) => {
          const clauses = parseFilter(request.query.get("filter") ?? "");
          if (!clauses) {
            return {
              status: 400,
              body: {
                error_code: "INVALID_PARAMETER_VALUE",
                message: `unsupported filter ${request.query.get("filter")}`,
              },
            };
          }
          const found = this.versions
            .filter((entry) => clauses.every((clause) => clause(entry)))
            .sort(
              (a, b) =>
                (b.createdAt ?? CREATED_AT) - (a.createdAt ?? CREATED_AT) ||
                Number(b.version) - Number(a.version),
            );
          if (!/DESC/i.test(request.query.get("order_by") ?? "DESC"))
            found.reverse();
          const limit = Number(request.query.get("max_results") ?? "100");
          return {
            status: 200,
            body: {
              model_versions: found
                .slice(0, limit)
                .map((entry) => this.versionJson(entry)),
            },
          };
        },
      },
      {
        name: "runs/get",
        method: "GET",
        pattern: /^\/api\/2\.0\/mlflow\/runs\/get$/,
        handle: (request) => {
          const found = this.versions.find(
            (entry) => entry.runId === request.query.get("run_id"),
          );
          if (!found) return notFound("Run");
          const metrics = Object.entries(found.metrics).map(([key, value]) => ({
            key,
            value,
            timestamp: 1_715_000_000_000,
            step: 0,
          }));
          return {
            status: 200,
            body: {
              run: {
                info: { run_id: found.runId, status: "FINISHED" },
                data: { metrics, params: [], tags: [] },
              },
            },
          };
        },
      },
      {
        name: "registered-models/alias GET",
        method: "GET",
        pattern: /^\/api\/2\.0\/mlflow\/registered-models\/alias$/,
        handle: (request) => {
          const name = request.query.get("name") ?? "";
          const version = this.aliases.get(
            `${name}/${request.query.get("alias")}`,
          );
          const found = version ? find(name, version) : undefined;
          return found
            ? { status: 200, body: { model_version: this.versionJson(found) } }
            : notFound("Alias");
        },
      },
      {
        name: "registered-models/alias POST",
        method: "POST",
        pattern: /^\/api\/2\.0\/mlflow\/registered-models\/alias$/,
        handle: (request) => {
          const body = request.body as {
            name: string;
            alias: string;
            version: string;
          };
          if (!find(body.name, body.version)) return notFound("Model version");
          this.aliases.set(`${body.name}/${body.alias}`, body.version);
          return { status: 200, body: {} };
        },
      },
    ]);
  }

  private versionJson(entry: StandInVersion) {
    const aliases = [...this.aliases.entries()]
      .filter(
        ([key, version]) =>
          key.startsWith(`${entry.name}/`) && version === entry.version,
      )
      .map(([key]) => key.slice(entry.name.length + 1));
    return {
      name: entry.name,
      version: entry.version,
      creation_timestamp: entry.createdAt ?? CREATED_AT,
      last_updated_timestamp: entry.createdAt ?? CREATED_AT,
      current_stage: "None",
      source: `models:/${entry.name}/${entry.version}`,
      run_id: entry.runId,
      status: "READY",
      tags: Object.entries(entry.tags ?? {}).map(([key, value]) => ({
        key,
        value,
      })),
      aliases,
    };
  }
}

/**
 * Parses the subset of MLflow's search filter that Gantry sends: clauses
 * such as name = 'churn-model' or tags.`gantry.github_run_id` = '42', joined
 * by AND. Returns undefined for anything else.
 */
function parseFilter(
  filter: string,
): ((entry: StandInVersion) => boolean)[] | undefined {
  const clauses: ((entry: StandInVersion) => boolean)[] = [];
  for (const part of filter.split(/\s+AND\s+/i)) {
    const match =
      /^\s*(name|run_id|tags\.`([^`]+)`|tags\.(\w+))\s*=\s*'([^']*)'\s*$/.exec(
        part,
      );
    if (!match) return undefined;
    const [, field, quotedTag, plainTag, value] = match;
    const tag = quotedTag ?? plainTag;
    if (tag) clauses.push((entry) => entry.tags?.[tag] === value);
    else if (field === "name") clauses.push((entry) => entry.name === value);
    else clauses.push((entry) => entry.runId === value);
  }
  return clauses;
}
