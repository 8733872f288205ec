import nock from "nock";
import { MLFLOW_TOKEN, MLFLOW_URL } from "./settings.js";

const API = "/api/2.0/mlflow";

/** A model version as MLflow's REST API returns it. */
export function mlflowModelVersion(params: {
  name: string;
  version: string;
  runId: string;
  aliases?: string[];
}) {
  return {
    name: params.name,
    version: params.version,
    creation_timestamp: 1715600000000,
    last_updated_timestamp: 1715600000000,
    current_stage: "None",
    description: "",
    source: `mlflow-artifacts:/1/${params.runId}/artifacts/model`,
    run_id: params.runId,
    status: "READY",
    tags: [{ key: "gantry.github_run_id", value: "9001" }],
    aliases: params.aliases ?? [],
    run_link: "",
  };
}

/** A run as MLflow's runs/get returns it, with one value per metric. */
export function mlflowRun(runId: string, metrics: Record<string, number>) {
  return {
    run: {
      info: {
        run_id: runId,
        run_uuid: runId,
        experiment_id: "1",
        run_name: "train-churn",
        user_id: "ci",
        status: "FINISHED",
        start_time: 1715590000000,
        end_time: 1715599000000,
        artifact_uri: `mlflow-artifacts:/1/${runId}/artifacts`,
        lifecycle_stage: "active",
      },
      data: {
        metrics: Object.entries(metrics).map(([key, value]) => ({
          key,
          value,
          timestamp: 1715599000000,
          step: 0,
        })),
        params: [{ key: "learning_rate", value: "0.05" }],
        tags: [{ key: "mlflow.runName", value: "train-churn" }],
      },
    },
  };
}

const RESOURCE_DOES_NOT_EXIST = {
  error_code: "RESOURCE_DOES_NOT_EXIST",
  message: "Model Version (name=churn-model, version=99) not found",
};

/** Fakes model-versions/get: the version, or MLflow's 404 when it is missing. */
export function nockGetModelVersion(
  name: string,
  version: string,
  found: { runId: string; aliases?: string[] } | "missing",
) {
  const scope = nock(MLFLOW_URL)
    .get(`${API}/model-versions/get`)
    .query({ name, version });
  return found === "missing"
    ? scope.reply(404, RESOURCE_DOES_NOT_EXIST)
    : scope.reply(200, {
        model_version: mlflowModelVersion({ name, version, ...found }),
      });
}

/** Fakes runs/get with the run's metrics. */
export function nockGetRun(runId: string, metrics: Record<string, number>) {
  return nock(MLFLOW_URL)
    .get(`${API}/runs/get`)
    .query({ run_id: runId })
    .reply(200, mlflowRun(runId, metrics));
}

/** Fakes registered-models/alias: the version holding the alias, or MLflow's error reply for an unset alias. */
export function nockGetVersionByAlias(
  name: string,
  alias: string,
  holder: { version: string; runId: string } | "unset",
) {
  const scope = nock(MLFLOW_URL)
    .get(`${API}/registered-models/alias`)
    .query({ name, alias });
  return holder === "unset"
    ? scope.reply(400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message: `Registered model alias ${alias} not found.`,
      })
    : scope.reply(200, {
        model_version: mlflowModelVersion({
          name,
          ...holder,
          aliases: [alias],
        }),
      });
}

/** Fakes the alias move; the request must carry exactly this body and the bearer token. */
export function nockSetAlias(name: string, alias: string, version: string) {
  return nock(MLFLOW_URL, {
    reqheaders: { authorization: `Bearer ${MLFLOW_TOKEN}` },
  })
    .post(`${API}/registered-models/alias`, { name, alias, version })
    .reply(200, {});
}
