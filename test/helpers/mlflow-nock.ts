import nock from "nock";
import { MLFLOW_URL } from "./settings.js";

const API = "/api/2.0/mlflow";

/** Answers model-versions/get with a version of MLflow's reply shape, or 404 when `found` is false. */
export function nockGetVersion(params: {
  name?: string;
  version: string;
  runId?: string;
  source?: string;
  found?: boolean;
  /** How many calls the answer serves; 1 unless set. */
  times?: number;
}): nock.Scope {
  const name = params.name ?? "churn-model";
  const scope = nock(MLFLOW_URL)
    .get(`${API}/model-versions/get`)
    .query({ name, version: params.version })
    .times(params.times ?? 1);
  if (params.found === false) {
    return scope.reply(404, {
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: `Model Version (name=${name}, version=${params.version}) not found`,
    });
  }
  return scope.reply(200, {
    model_version: {
      name,
      version: params.version,
      creation_timestamp: 1_715_000_000_000,
      last_updated_timestamp: 1_715_000_000_000,
      current_stage: "None",
      source: params.source ?? `models:/${name}/${params.version}`,
      run_id: params.runId ?? `run${params.version}`,
      status: "READY",
      tags: [],
      aliases: [],
    },
  });
}

/** Answers runs/get with the run's metrics. */
export function nockRunMetrics(
  runId: string,
  metrics: Record<string, number>,
): nock.Scope {
  return nock(MLFLOW_URL)
    .get(`${API}/runs/get`)
    .query({ run_id: runId })
    .reply(200, {
      run: {
        info: { run_id: runId, status: "FINISHED" },
        data: {
          metrics: Object.entries(metrics).map(([key, value]) => ({
            key,
            value,
            timestamp: 1,
            step: 0,
          })),
          params: [],
          tags: [],
        },
      },
    });
}

/** Answers registered-models/alias GET with the version holding the alias, or 404 when none does. */
export function nockAlias(params: {
  name?: string;
  alias: string;
  version?: string;
}): nock.Scope {
  const name = params.name ?? "churn-model";
  const scope = nock(MLFLOW_URL)
    .get(`${API}/registered-models/alias`)
    .query({ name, alias: params.alias });
  if (!params.version)
    return scope.reply(404, {
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "alias not found",
    });
  return scope.reply(200, {
    model_version: {
      name,
      version: params.version,
      run_id: `run${params.version}`,
      source: `models:/${name}/${params.version}`,
      tags: [],
      aliases: [params.alias],
    },
  });
}
