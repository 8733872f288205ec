import nock from "nock";
import { describe, expect, it } from "vitest";
import { MlflowClient } from "../../src/clients/mlflow.js";
import { GantryError } from "../../src/errors.js";
import {
  mlflowModelVersion,
  nockGetModelVersion,
  nockGetRun,
  nockGetVersionByAlias,
  nockSetAlias,
} from "../helpers/mlflow-api.js";
import { MLFLOW_TOKEN, MLFLOW_URL } from "../helpers/settings.js";

const API = "/api/2.0/mlflow";

function client(timeoutMs?: number): MlflowClient {
  return new MlflowClient(MLFLOW_URL, MLFLOW_TOKEN, timeoutMs);
}

/** Awaits a promise that must reject, and returns its GantryError. */
async function gantryErrorOf(promise: Promise<unknown>): Promise<GantryError> {
  const error: unknown = await promise.then(
    () => new Error("the call succeeded"),
    (rejected: unknown) => rejected,
  );
  if (!(error instanceof GantryError)) throw error;
  return error;
}

describe("MlflowClient.getVersion", () => {
  it("returns the version", async () => {
    nockGetModelVersion("churn-model", "42", { runId: "run42" });

    const version = await client().getVersion("churn-model", "42");

    expect(version).toMatchObject({
      name: "churn-model",
      version: "42",
      run_id: "run42",
      status: "READY",
      creation_timestamp: 1715600000000,
      tags: [{ key: "gantry.github_run_id", value: "9001" }],
      aliases: [],
    });
  });

  it("sends the bearer token", async () => {
    const scope = nock(MLFLOW_URL, {
      reqheaders: { authorization: `Bearer ${MLFLOW_TOKEN}` },
    })
      .get(`${API}/model-versions/get`)
      .query({ name: "churn-model", version: "42" })
      .reply(200, {
        model_version: mlflowModelVersion({
          name: "churn-model",
          version: "42",
          runId: "run42",
        }),
      });

    await client().getVersion("churn-model", "42");

    expect(scope.isDone()).toBe(true);
  });

  it("sends no authorization without a token", async () => {
    nock(MLFLOW_URL, { badheaders: ["authorization"] })
      .get(`${API}/model-versions/get`)
      .query(true)
      .reply(200, {
        model_version: mlflowModelVersion({
          name: "churn-model",
          version: "42",
          runId: "run42",
        }),
      });

    const version = await new MlflowClient(MLFLOW_URL, undefined).getVersion(
      "churn-model",
      "42",
    );

    expect(version?.version).toBe("42");
  });

  it("returns undefined for a missing version", async () => {
    nockGetModelVersion("churn-model", "99", "missing");

    const version = await client().getVersion("churn-model", "99");

    expect(version).toBeUndefined();
  });

  it("returns undefined for RESOURCE_DOES_NOT_EXIST", async () => {
    nock(MLFLOW_URL).get(`${API}/model-versions/get`).query(true).reply(400, {
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Registered Model with name=churn-model not found",
    });

    const version = await client().getVersion("churn-model", "42");

    expect(version).toBeUndefined();
  });

  it("throws a retryable error on 500", async () => {
    nock(MLFLOW_URL)
      .get(`${API}/model-versions/get`)
      .query(true)
      .reply(500, "Internal Server Error");

    const error = await gantryErrorOf(client().getVersion("churn-model", "42"));

    expect(error.code).toBe("upstream_unavailable");
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      `MLflow answered 500 to GET ${MLFLOW_URL}${API}/model-versions/get; it will be retried`,
    );
  });

  it("throws a retryable error on 429", async () => {
    nock(MLFLOW_URL)
      .get(`${API}/model-versions/get`)
      .query(true)
      .reply(429, { error_code: "REQUEST_LIMIT_EXCEEDED" });

    const error = await gantryErrorOf(client().getVersion("churn-model", "42"));

    expect(error.retryable).toBe(true);
  });

  it("throws a retryable error on timeout", async () => {
    nock(MLFLOW_URL)
      .get(`${API}/model-versions/get`)
      .query(true)
      .delay(2000)
      .reply(200, {});

    const error = await gantryErrorOf(
      client(50).getVersion("churn-model", "42"),
    );

    expect(error.code).toBe("timeout");
    expect(error.retryable).toBe(true);
    expect(error.message).toContain("timed out; it will be retried");
  });

  it("throws a retryable error when the server is unreachable", async () => {
    nock(MLFLOW_URL)
      .get(`${API}/model-versions/get`)
      .query(true)
      .replyWithError({ code: "ECONNREFUSED" });

    const error = await gantryErrorOf(client().getVersion("churn-model", "42"));

    expect(error.code).toBe("upstream_unavailable");
    expect(error.retryable).toBe(true);
  });

  it("throws a final error on another 4xx", async () => {
    nock(MLFLOW_URL).get(`${API}/model-versions/get`).query(true).reply(403, {
      error_code: "PERMISSION_DENIED",
      message: "token lacks READ",
    });

    const error = await gantryErrorOf(client().getVersion("churn-model", "42"));

    expect(error.code).toBe("upstream_rejected");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      "MLflow rejected GET model-versions/get with 403 PERMISSION_DENIED: token lacks READ",
    );
  });

  it("throws a final error on an unexpected body", async () => {
    nock(MLFLOW_URL)
      .get(`${API}/model-versions/get`)
      .query(true)
      .reply(200, { model_version: { name: "churn-model" } });

    const error = await gantryErrorOf(client().getVersion("churn-model", "42"));

    expect(error.code).toBe("upstream_rejected");
    expect(error.message).toMatch(
      /^MLflow answered model-versions\/get with an unexpected body/,
    );
  });
});

describe("MlflowClient.getRunMetrics", () => {
  it("returns each metric's value", async () => {
    nockGetRun("run42", { accuracy: 0.934, latency_p99_ms: 1510 });

    const metrics = await client().getRunMetrics("run42");

    expect(metrics).toEqual({ accuracy: 0.934, latency_p99_ms: 1510 });
  });

  it("returns no metrics for a run without data", async () => {
    nock(MLFLOW_URL)
      .get(`${API}/runs/get`)
      .query({ run_id: "run7" })
      .reply(200, { run: { info: { run_id: "run7" } } });

    const metrics = await client().getRunMetrics("run7");

    expect(metrics).toEqual({});
  });

  it("returns no metrics for a missing run", async () => {
    nock(MLFLOW_URL)
      .get(`${API}/runs/get`)
      .query({ run_id: "gone" })
      .reply(404, {
        error_code: "RESOURCE_DOES_NOT_EXIST",
        message: "Run 'gone' not found",
      });

    const metrics = await client().getRunMetrics("gone");

    expect(metrics).toEqual({});
  });
});

describe("MlflowClient.getVersionByAlias", () => {
  it("returns the version holding the alias", async () => {
    nockGetVersionByAlias("churn-model", "staging", {
      version: "41",
      runId: "run41",
    });

    const version = await client().getVersionByAlias("churn-model", "staging");

    expect(version).toMatchObject({
      version: "41",
      run_id: "run41",
      aliases: ["staging"],
    });
  });

  it("returns undefined for an unset alias", async () => {
    nockGetVersionByAlias("churn-model", "production", "unset");

    const version = await client().getVersionByAlias(
      "churn-model",
      "production",
    );

    expect(version).toBeUndefined();
  });

  it("rejects another invalid parameter", async () => {
    nock(MLFLOW_URL)
      .get(`${API}/registered-models/alias`)
      .query(true)
      .reply(400, {
        error_code: "INVALID_PARAMETER_VALUE",
        message:
          "Invalid alias name: 'v1'. Alias names cannot be in the form of 'v<number>'.",
      });

    const error = await gantryErrorOf(
      client().getVersionByAlias("churn-model", "v1"),
    );

    expect(error.code).toBe("upstream_rejected");
  });
});

describe("MlflowClient.setAlias", () => {
  it("posts the alias with the bearer token", async () => {
    const scope = nockSetAlias("churn-model", "staging", "42");

    await client().setAlias("churn-model", "staging", "42");

    expect(scope.isDone()).toBe(true);
  });

  it("sends a JSON body", async () => {
    let contentType: string | undefined;
    let body: unknown;
    nock(MLFLOW_URL)
      .post(`${API}/registered-models/alias`)
      .reply(200, function (_uri, requestBody) {
        contentType = this.req.headers["content-type"];
        body = requestBody;
        return {};
      });

    await client().setAlias("churn-model", "production", "42");

    expect(contentType).toBe("application/json");
    expect(body).toEqual({
      name: "churn-model",
      alias: "production",
      version: "42",
    });
  });

  it("throws not_found for a missing version", async () => {
    nock(MLFLOW_URL).post(`${API}/registered-models/alias`).reply(404, {
      error_code: "RESOURCE_DOES_NOT_EXIST",
      message: "Model Version (name=churn-model, version=99) not found",
    });

    const error = await gantryErrorOf(
      client().setAlias("churn-model", "staging", "99"),
    );

    expect(error.code).toBe("not_found");
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'MLflow has no version 99 of registered model "churn-model" to alias as "staging"',
    );
  });

  it("throws a retryable error on 503", async () => {
    nock(MLFLOW_URL)
      .post(`${API}/registered-models/alias`)
      .reply(503, "Service Unavailable");

    const error = await gantryErrorOf(
      client().setAlias("churn-model", "staging", "42"),
    );

    expect(error.retryable).toBe(true);
  });
});
