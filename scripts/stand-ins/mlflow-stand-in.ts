import { StandInServer } from "./stand-in-server.js";

export type StandInVersion = {
  name: string;
  version: string;
  runId: string;
  metrics: Record<string, number>;
  tags?: Record<string, string>;
};

/** Plays MLflow's model registry REST API (2.0): versions, runs and aliases. */
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
      creation_timestamp: 1_715_000_000_000,
      last_updated_timestamp: 1_715_000_000_000,
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
