import { z } from "zod";
import { GantryError } from "../errors.js";
import { requestJson } from "./http.js";

const tagSchema = z.object({
  key: z.string(),
  value: z.string().optional().default(""),
});

const modelVersionSchema = z.object({
  name: z.string(),
  version: z.string(),
  creation_timestamp: z.coerce.number().optional(),
  last_updated_timestamp: z.coerce.number().optional(),
  run_id: z.string().optional(),
  source: z.string().optional(),
  status: z.string().optional(),
  tags: z.array(tagSchema).optional().default([]),
  aliases: z.array(z.string()).optional().default([]),
});

export type ModelVersion = z.infer<typeof modelVersionSchema>;

const versionReply = z.object({ model_version: modelVersionSchema });

const searchReply = z.object({
  model_versions: z.array(modelVersionSchema).optional().default([]),
  next_page_token: z.string().optional(),
});

const runReply = z.object({
  run: z.object({
    info: z.object({ run_id: z.string().optional() }).passthrough(),
    data: z
      .object({
        metrics: z
          .array(
            z
              .object({ key: z.string(), value: z.coerce.number() })
              .passthrough(),
          )
          .optional()
          .default([]),
      })
      .passthrough()
      .optional(),
  }),
});

const errorReply = z.object({
  error_code: z.string(),
  message: z.string().optional(),
});

/** MLflow model registry over its REST API (version 2.0 endpoints). */
export class MlflowClient {
  constructor(
    private readonly trackingUri: string,
    private readonly token: string | undefined,
    /** How long one request may take before it fails as retryable. */
    private readonly timeoutMs = 10_000,
  ) {}

  /** Returns the version, or undefined when the registry has no such version. */
  async getVersion(
    name: string,
    version: string,
  ): Promise<ModelVersion | undefined> {
    const reply = await this.call("GET", "model-versions/get", {
      name,
      version,
    });
    if (reply === undefined) return undefined;
    return this.parse(versionReply, reply, "model-versions/get").model_version;
  }

  /** Returns the version an alias points to, or undefined when the alias is unset. */
  async getVersionByAlias(
    name: string,
    alias: string,
  ): Promise<ModelVersion | undefined> {
    const reply = await this.call("GET", "registered-models/alias", {
      name,
      alias,
    });
    if (reply === undefined) return undefined;
    return this.parse(versionReply, reply, "registered-models/alias")
      .model_version;
  }

  /** Returns the latest value of each metric logged by a run. */
  async getRunMetrics(runId: string): Promise<Record<string, number>> {
    const reply = await this.call("GET", "runs/get", { run_id: runId });
    if (reply === undefined) return {};

    const run = this.parse(runReply, reply, "runs/get").run;
    const metrics: Record<string, number> = {};
    for (const metric of run.data?.metrics ?? [])
      metrics[metric.key] = metric.value;
    return metrics;
  }

  /**
   * Returns the versions that match an MLflow search filter, for example
   * `name = 'churn-model' AND tags.\`gantry.github_run_id\` = '42'`: the first
   * page only, ordered by `orderBy` (one column, such as "creation_timestamp DESC").
   */
  async searchVersions(params: {
    filter: string;
    orderBy?: string;
    maxResults?: number;
  }): Promise<ModelVersion[]> {
    const query: Record<string, string> = {
      filter: params.filter,
      max_results: String(params.maxResults ?? 100),
    };
    if (params.orderBy) query.order_by = params.orderBy;

    const reply = await this.call("GET", "model-versions/search", query);
    if (reply === undefined) return [];
    return this.parse(searchReply, reply, "model-versions/search")
      .model_versions;
  }

  /** Points an alias at a version; repeating it is harmless. */
  async setAlias(name: string, alias: string, version: string): Promise<void> {
    const reply = await this.call(
      "POST",
      "registered-models/alias",
      undefined,
      {
        name,
        alias,
        version,
      },
    );
    if (reply === undefined) {
      throw new GantryError(
        "not_found",
        `MLflow has no version ${version} of registered model "${name}" to alias as "${alias}"`,
      );
    }
  }

  /**
   * Sends one request. Returns undefined for RESOURCE_DOES_NOT_EXIST, throws
   * a retryable error for 5xx, 429 and timeouts, and a final one otherwise.
   */
  private async call(
    method: "GET" | "POST",
    path: string,
    query?: Record<string, string>,
    body?: unknown,
  ): Promise<unknown> {
    const url = new URL(`${this.trackingUri}/api/2.0/mlflow/${path}`);
    for (const [key, value] of Object.entries(query ?? {}))
      url.searchParams.set(key, value);

    const response = await requestJson({
      service: "MLflow",
      url: url.toString(),
      method,
      body,
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
      timeoutMs: this.timeoutMs,
    });
    if (response.status >= 200 && response.status < 300)
      return response.body ?? {};

    const error = errorReply.safeParse(response.body);
    if (
      response.status === 404 ||
      error.data?.error_code === "RESOURCE_DOES_NOT_EXIST" ||
      isUnsetAlias(error.data)
    ) {
      return undefined;
    }
    throw new GantryError(
      "upstream_rejected",
      `MLflow rejected ${method} ${path} with ${response.status} ${error.data?.error_code ?? ""}: ${error.data?.message ?? "no message"}`.trim(),
    );
  }

  private parse<T>(schema: z.ZodType<T>, body: unknown, path: string): T {
    const result = schema.safeParse(body);
    if (!result.success) {
      throw new GantryError(
        "upstream_rejected",
        `MLflow answered ${path} with an unexpected body: ${result.error.issues[0]?.message ?? "invalid"}`,
      );
    }
    return result.data;
  }
}

/**
 * Tells whether an error reply means that no version has the alias. MLflow
 * 2.x answers that lookup with 400 INVALID_PARAMETER_VALUE "Registered model
 * alias staging not found." (FileStore.get_model_version_by_alias), not 404.
 */
function isUnsetAlias(
  error: { error_code: string; message?: string | undefined } | undefined,
): boolean {
  return (
    error?.error_code === "INVALID_PARAMETER_VALUE" &&
    /^Registered model alias .+ not found\.?$/.test(error.message ?? "")
  );
}
