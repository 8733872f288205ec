import { z } from "zod";
import { parseDuration } from "./duration.js";
import { closestName } from "../text/closest-name.js";
import { freezeWindowSchema } from "./freeze-window-schema.js";
import { alertsSchema } from "./alerts-schema.js";

const duration = z
  .string()
  .refine((value) => parseDuration(value) !== undefined, {
    error: (issue) =>
      `invalid duration ${JSON.stringify(issue.input)}; use a number and a unit, for example 10m, 24h or 1h30m`,
  });

const GATE = /^\s*(>=|<=|>|<|==|!=)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)\s*$/i;

const gate = z.string().regex(GATE, {
  error:
    'invalid gate; write a comparison and a number, for example ">= 0.90" or "<= 2000"',
});

const slackUserOrGroup = z.string().regex(/^[UWS][A-Z0-9]{2,}$/, {
  error: "invalid approver; use a Slack user ID (U...) or user group ID (S...)",
});

const slackChannel = z.string().regex(/^([CGD][A-Z0-9]{2,}|#[a-z0-9._-]+)$/, {
  error:
    "invalid channel; use a Slack channel ID such as C0RELEASES, or #channel-name",
});

/**
 * Names that plain objects inherit from Object.prototype. A model or an
 * environment by such a name would be found where none was configured.
 */
const RESERVED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

const notReserved = (name: string) => !RESERVED_NAMES.has(name);

const modelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    error: "invalid model name; use letters, digits, dot, dash and underscore",
  })
  .refine(notReserved, {
    error: (issue) =>
      `invalid model name ${JSON.stringify(issue.input)}; it is reserved, so choose another`,
  });

const percent = z.number().int().min(1).max(100);

export const environmentSchema = z
  .strictObject({
    after: z.string().optional(),
    soak: duration.optional(),
    approvals: z.number().int().min(0).max(20).default(1),
    approvers: z.array(slackUserOrGroup).default([]),
    required_group: slackUserOrGroup.optional(),
    approval_timeout: duration.optional(),
    auto_deploy: z.boolean().default(false),
    canary: z
      .array(percent)
      .refine(
        (steps) =>
          steps.every((step, i) => i === 0 || step > (steps[i - 1] ?? 0)),
        {
          error: "canary steps must increase, for example [5, 25, 50, 100]",
        },
      )
      .refine(
        (steps) => steps.length === 0 || steps[steps.length - 1] === 100,
        {
          error: "the last canary step must be 100",
        },
      )
      .optional(),
    bake: duration.optional(),
    health: z.string().min(1).optional(),
    /** Time between health checks during a canary step's bake; 1m (or the bake, when shorter) when unset. */
    health_interval: duration
      .refine((value) => (parseDuration(value) ?? 0) > 0, {
        error: "must be longer than 0, for example 30s",
      })
      .optional(),
    /** Maximum time from a canary step's deployment to the end of its bake; the bake plus 30m when unset. */
    step_timeout: duration.optional(),
  })
  .refine(
    (environment) =>
      !environment.step_timeout ||
      (parseDuration(environment.step_timeout) ?? 0) >
        (parseDuration(environment.bake ?? "0s") ?? 0),
    {
      path: ["step_timeout"],
      error: "must be longer than bake, or every canary step would time out",
    },
  );

export const modelSchema = z.strictObject({
  registry: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? "is missing; set it to the model's registered model name in MLflow"
          : undefined,
    })
    .min(1),
  paths: z.array(z.string().min(1)).default([]),
  training_workflow: z.string().min(1).optional(),
  gates: z.record(z.string(), gate).default({}),
  channel: slackChannel.optional(),
});

export const repoConfigSchema = z
  .strictObject({
    slack: z
      .strictObject({
        channel: slackChannel.optional(),
        alerts_channel: slackChannel.optional(),
      })
      .default({}),
    models: z.record(modelName, modelSchema).default({}),
    environments: z
      .record(
        z
          .string()
          .regex(/^[a-z][a-z0-9_-]*$/, {
            error:
              "invalid environment name; use lower-case letters, digits, dash and underscore, starting with a letter",
          })
          .refine(notReserved, {
            error: (issue) =>
              `invalid environment name ${JSON.stringify(issue.input)}; it is reserved, so choose another`,
          }),
        environmentSchema,
      )
      .default({
        dev: environmentSchema.parse({ auto_deploy: true, approvals: 0 }),
      }),
    jira: z
      .strictObject({
        project: z
          .string({
            error: (issue) =>
              issue.input === undefined
                ? "is missing; set it to the Jira project key, for example MLOPS"
                : undefined,
          })
          .regex(/^[A-Z][A-Z0-9_]+$/, {
            error:
              "invalid Jira project key; use the upper-case key, for example MLOPS",
          }),
        drift_type: z.string().default("Task"),
        critical_type: z.string().default("Bug"),
        /** Jira priority name that critical-alert tickets get. */
        critical_priority: z.string().min(1).default("Highest"),
      })
      .optional(),
    retrain: z
      .strictObject({
        schedule: z.string().optional(),
        on_drift: z.boolean().default(false),
        cooldown: duration.default("24h"),
      })
      .optional(),
    freezes: z.array(freezeWindowSchema).optional(),
    alerts: alertsSchema.optional(),
  })
  .superRefine(
    (config, context) => {
      for (const [name, environment] of Object.entries(config.environments)) {
        if (
          environment.after &&
          !Object.hasOwn(config.environments, environment.after)
        ) {
          context.addIssue({
            code: "custom",
            path: ["environments", name, "after"],
            message: `names unknown environment "${environment.after}"; use one of ${Object.keys(config.environments).join(", ")}`,
          });
        }
      }
      for (const [index, freeze] of (config.freezes ?? []).entries()) {
        for (const [position, name] of freeze.environments.entries()) {
          if (Object.hasOwn(config.environments, name)) continue;
          const known = Object.keys(config.environments);
          const suggestion = closestName(name, known);
          context.addIssue({
            code: "custom",
            path: ["freezes", index, "environments", position],
            message: `names unknown environment "${name}"; use one of ${known.join(", ")}${suggestion ? ` (did you mean "${suggestion}"?)` : ""}`,
          });
        }
      }
      if (environmentOrder(config.environments) === undefined) {
        context.addIssue({
          code: "custom",
          path: ["environments"],
          message:
            "the `after` fields form a cycle; each environment may follow only an earlier one",
        });
      }
    },
    {
      // Zod skips refinements once another field is invalid. Run them anyway
      // when the fields they read parsed, so one check lists every problem.
      when: crossFieldChecksApply,
    },
  );

function crossFieldChecksApply(payload: z.core.ParsePayload): boolean {
  const { environments } = (payload.value ?? {}) as { environments?: unknown };
  return (
    isRecord(environments) &&
    Object.values(environments).every(isRecord) &&
    !payload.issues.some((issue) => issue.path?.[0] === "freezes")
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export type RepoConfig = z.infer<typeof repoConfigSchema>;
export type EnvironmentConfig = z.infer<typeof environmentSchema>;
export type ModelConfig = z.infer<typeof modelSchema>;

export type ConfigProblem = { path: string; message: string };

/** Validates a parsed `.github/gantry.yml` and returns either the config or every problem. */
export function validateRepoConfig(
  input: unknown,
): { ok: true; config: RepoConfig } | { ok: false; problems: ConfigProblem[] } {
  const result = repoConfigSchema.safeParse(input ?? {});
  if (result.success) return { ok: true, config: result.data };

  return {
    ok: false,
    problems: result.error.issues.flatMap((issue) =>
      // One problem per unknown key, at the key's own path and line.
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => ({
            path: formatPath([...issue.path, key]),
            message: "unknown key; remove it or correct its spelling",
          }))
        : [{ path: formatPath(issue.path), message: issueMessage(issue) }],
    ),
  };
}

/** Returns an issue's message, or for an invalid record key the key's own message. */
function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== "invalid_key") return issue.message;
  return issue.issues.map((inner) => inner.message).join("; ");
}

/** Formats a zod issue path as a YAML path, for example `environments.production.canary[1]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return "(root)";

  return path
    .map((part, index) => {
      if (typeof part === "number") return `[${part}]`;
      return index === 0 ? String(part) : `.${String(part)}`;
    })
    .join("");
}

/**
 * Orders environments so that each comes after the one it names in `after`.
 * Returns undefined when the `after` fields form a cycle.
 */
export function environmentOrder(
  environments: Record<string, { after?: string | undefined }>,
): string[] | undefined {
  const names = Object.keys(environments);
  const ordered: string[] = [];
  const placed = new Set<string>();

  while (ordered.length < names.length) {
    const ready = names.filter((name) => {
      if (placed.has(name)) return false;
      const after = environments[name]?.after;
      return !after || placed.has(after) || !Object.hasOwn(environments, after);
    });
    if (ready.length === 0) return undefined;
    for (const name of ready) {
      ordered.push(name);
      placed.add(name);
    }
  }
  return ordered;
}

/** Parses a gate such as ">= 0.90" into its operator and threshold. */
export function parseGate(expression: string): {
  operator: string;
  threshold: number;
} {
  const match = GATE.exec(expression);
  if (!match?.[1] || !match[2])
    throw new Error(`invalid gate ${JSON.stringify(expression)}`);
  return { operator: match[1], threshold: Number(match[2]) };
}
