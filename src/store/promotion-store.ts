import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import {
  ALLOWED_TRANSITIONS,
  fromHashFields,
  toHashFields,
  type Promotion,
  type PromotionStatus,
} from "../promotion.js";
import { keys } from "./keys.js";
import { APPROVE, CREATE, TRANSITION, VOID_APPROVALS } from "./lua.js";
import { runReleaseScript } from "./release-scripts.js";

/** How long a request key (a Slack trigger, a delivery) maps to its promotion. */
const REQUEST_KEY_TTL_SECONDS = 7 * 86_400;

type ScriptReply = [string, string?, string?];

type ScriptedRedis = Redis & {
  gantryTransition(...args: (string | number)[]): Promise<ScriptReply>;
  gantryApprove(...args: (string | number)[]): Promise<ScriptReply>;
  gantryCreate(...args: (string | number)[]): Promise<ScriptReply>;
  gantryVoidApprovals(...args: (string | number)[]): Promise<ScriptReply>;
};

export type TransitionResult =
  | { ok: true; promotion: Promotion }
  | { ok: false; reason: "missing" }
  | { ok: false; reason: "conflict"; current: PromotionStatus };

export type ApprovalOutcome =
  | {
      outcome: "approved" | "counted" | "duplicate";
      count: number;
      required: number;
      /** False while the environment's required group has not approved. */
      groupApproved: boolean;
    }
  | { outcome: "self_approval" | "missing" }
  | { outcome: "not_pending"; status: PromotionStatus };

export type NewPromotion = Omit<
  Promotion,
  "id" | "status" | "rev" | "createdAt" | "updatedAt" | "kind"
> & { kind?: Promotion["kind"] };

export type TransitionParams = {
  id: string;
  from: readonly PromotionStatus[];
  to: PromotionStatus;
  actor: string;
  reason?: string;
  fields?: Partial<Promotion>;
};

/** Promotion state in Redis. Every status move is a compare-and-set with an audit event. */
export class PromotionStore {
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis) {
    if (!("gantryTransition" in redis)) {
      redis.defineCommand("gantryTransition", {
        numberOfKeys: 3,
        lua: TRANSITION,
      });
      redis.defineCommand("gantryApprove", { numberOfKeys: 5, lua: APPROVE });
      redis.defineCommand("gantryCreate", { numberOfKeys: 5, lua: CREATE });
      redis.defineCommand("gantryVoidApprovals", {
        numberOfKeys: 5,
        lua: VOID_APPROVALS,
      });
    }
    this.redis = redis as ScriptedRedis;
  }

  /**
   * Creates a promotion once per request key: a repeated request returns the
   * promotion that the first one created.
   */
  async create(
    input: NewPromotion,
    requestKey: string,
  ): Promise<{ promotion: Promotion; created: boolean }> {
    const now = new Date().toISOString();
    const promotion: Promotion = {
      ...input,
      kind: input.kind ?? "release",
      id: newPromotionId(),
      status: "pending_approval",
      rev: 0,
      createdAt: now,
      updatedAt: now,
    };

    const [outcome, id] = await this.redis.gantryCreate(
      keys.request(requestKey),
      keys.promotion(promotion.id),
      keys.promotionsByModel(promotion.model),
      keys.auditAll(),
      keys.auditModel(promotion.model),
      promotion.id,
      REQUEST_KEY_TTL_SECONDS,
      Date.parse(now),
      ...Object.entries(toHashFields(promotion)).flat(),
    );
    if (outcome === "created") return { promotion, created: true };

    const existing = id ? await this.get(id) : undefined;
    if (!existing)
      throw new Error(
        `promotion ${id ?? "(none)"} for request ${requestKey} not found`,
      );
    return { promotion: existing, created: false };
  }

  async get(id: string): Promise<Promotion | undefined> {
    return fromHashFields(await this.redis.hgetall(keys.promotion(id)));
  }

  /** Moves a promotion between statuses if it is still in one of `from`. */
  async transition(params: TransitionParams): Promise<TransitionResult> {
    for (const from of params.from) {
      if (!ALLOWED_TRANSITIONS[from].includes(params.to)) {
        throw new Error(`transition ${from} -> ${params.to} is not allowed`);
      }
    }

    const pairs = Object.entries(toHashFields(params.fields ?? {})).flat();
    const reply = await this.redis.gantryTransition(
      keys.promotion(params.id),
      keys.auditAll(),
      keys.auditModel(await this.modelOf(params.id)),
      params.from.join(","),
      params.to,
      params.actor,
      new Date().toISOString(),
      params.reason ?? "",
      ...pairs,
    );

    if (reply[0] === "missing") return { ok: false, reason: "missing" };
    if (reply[0] === "conflict") {
      return {
        ok: false,
        reason: "conflict",
        current: reply[1] as PromotionStatus,
      };
    }
    const promotion = await this.get(params.id);
    if (!promotion) return { ok: false, reason: "missing" };
    return { ok: true, promotion };
  }

  /**
   * Counts one person's approval; see the APPROVE script for the rules.
   * `inRequiredGroup` is true when the user belongs to the environment's
   * required group, which the caller resolved through Slack.
   */
  async approve(
    id: string,
    user: string,
    inRequiredGroup = false,
  ): Promise<ApprovalOutcome> {
    const reply = await this.redis.gantryApprove(
      keys.promotion(id),
      keys.approvals(id),
      keys.auditAll(),
      keys.auditModel(await this.modelOf(id)),
      keys.groupApprovals(id),
      user,
      new Date().toISOString(),
      inRequiredGroup ? "1" : "0",
    );

    const [outcome, first, second, group] = reply as [
      string,
      string?,
      string?,
      string?,
    ];
    switch (outcome) {
      case "approved":
      case "counted":
      case "duplicate":
        return {
          outcome,
          count: Number(first),
          required: Number(second),
          groupApproved: group === "1",
        };
      case "not_pending":
        return { outcome, status: first as PromotionStatus };
      case "self_approval":
        return { outcome: "self_approval" };
      default:
        return { outcome: "missing" };
    }
  }

  async approvals(id: string): Promise<string[]> {
    const members = await this.redis.smembers(keys.approvals(id));
    return members.sort();
  }

  /** Sets fields that carry no status change, such as the card's message ts. */
  async setFields(id: string, fields: Partial<Promotion>): Promise<void> {
    await this.redis.hset(keys.promotion(id), toHashFields(fields));
  }

  async linkDeployment(
    deploymentId: number,
    promotionId: string,
  ): Promise<void> {
    await this.redis.set(
      keys.deployment(deploymentId),
      promotionId,
      "EX",
      90 * 86_400,
    );
  }

  async findByDeployment(deploymentId: number): Promise<Promotion | undefined> {
    const id = await this.redis.get(keys.deployment(deploymentId));
    return id ? this.get(id) : undefined;
  }

  /** Records the version that now runs in an environment, for cards and rollbacks. */
  async recordLive(promotion: Promotion): Promise<void> {
    const at = new Date().toISOString();
    await this.redis
      .multi()
      .hset(keys.live(promotion.model, promotion.environment), {
        version: promotion.version,
        promotionId: promotion.id,
        at,
      })
      .hsetnx(
        keys.succeeded(promotion.model, promotion.environment),
        promotion.version,
        at,
      )
      .exec();
  }

  /** Returns when a version first succeeded in an environment, for stage order and soak. */
  async succeededAt(
    model: string,
    environment: string,
    version: string,
  ): Promise<Date | undefined> {
    const at = await this.redis.hget(
      keys.succeeded(model, environment),
      version,
    );
    return at ? new Date(at) : undefined;
  }

  /**
   * Voids a pending promotion's approvals because its version changed in the
   * registry; returns how many were voided, or undefined when it is no longer pending.
   */
  async voidApprovals(
    id: string,
    identity: string,
    reason: string,
  ): Promise<number | undefined> {
    const [outcome, count] = await this.redis.gantryVoidApprovals(
      keys.promotion(id),
      keys.approvals(id),
      keys.groupApprovals(id),
      keys.auditAll(),
      keys.auditModel(await this.modelOf(id)),
      identity,
      new Date().toISOString(),
      reason,
    );
    return outcome === "voided" ? Number(count) : undefined;
  }

  async live(
    model: string,
    environment: string,
  ): Promise<{ version: string } | undefined> {
    const fields = await this.redis.hgetall(keys.live(model, environment));
    return fields.version ? { version: fields.version } : undefined;
  }

  /** Lists promotion ids in the given statuses, newest first, for sweeps and status. */
  async listByStatus(
    model: string,
    statuses: readonly PromotionStatus[],
  ): Promise<Promotion[]> {
    const ids = await this.redis.zrevrange(
      keys.promotionsByModel(model),
      0,
      199,
    );
    const found = await Promise.all(ids.map((id) => this.get(id)));
    return found.filter(
      (promotion): promotion is Promotion =>
        promotion !== undefined && statuses.includes(promotion.status),
    );
  }

  private async modelOf(id: string): Promise<string> {
    return (await this.redis.hget(keys.promotion(id), "model")) ?? "unknown";
  }

  /**
   * Updates a promotion while it is in one of `from` and its `expect` fields
   * still hold, and moves it to `to` when given. Canary steps use it, so a
   * job acting on a step that already moved on changes nothing.
   */
  async update(params: UpdateParams): Promise<TransitionResult> {
    if (params.to) checkTransitions(params.from, params.to);

    const model = await this.modelOf(params.id);
    const expected = expectedPairs(params.expect);
    const reply = (await runReleaseScript(
      this.redis,
      "gantryUpdate",
      [keys.promotion(params.id), keys.auditAll(), keys.auditModel(model)],
      [
        params.from.join(","),
        params.to ?? "",
        params.actor,
        new Date().toISOString(),
        params.reason ?? "",
        params.action ?? "update",
        expected.length / 2,
        ...expected,
        ...Object.entries(toHashFields(params.fields ?? {})).flat(),
      ],
    )) as ScriptReply;
    return this.transitionResult(params.id, reply);
  }

  /**
   * Ends a promotion `succeeded` and records its version as live, in the
   * environment's release history and (for a promotion a person asked for)
   * as the end of the environment's hold, in one atomic step.
   */
  async complete(params: CompleteParams): Promise<CompleteResult> {
    checkTransitions(params.from, "succeeded");
    const promotion = await this.get(params.id);
    if (!promotion) return { ok: false, reason: "missing" };

    const { model, environment } = promotion;
    const expected = expectedPairs(params.expect);
    const reply = (await runReleaseScript(
      this.redis,
      "gantryComplete",
      [
        keys.promotion(params.id),
        keys.auditAll(),
        keys.auditModel(model),
        keys.live(model, environment),
        keys.succeeded(model, environment),
        keys.releaseHistory(model, environment),
        keys.hold(model, environment),
      ],
      [
        params.from.join(","),
        params.actor,
        new Date().toISOString(),
        params.history,
        params.releaseHold ? "1" : "0",
        expected.length / 2,
        ...expected,
      ],
    )) as ScriptReply;
    const result = await this.transitionResult(params.id, reply);
    return result.ok ? { ...result, holdReleased: reply[2] === "1" } : result;
  }

  private async transitionResult(
    id: string,
    reply: ScriptReply,
  ): Promise<TransitionResult> {
    if (reply[0] === "missing") return { ok: false, reason: "missing" };
    if (reply[0] === "conflict") {
      return {
        ok: false,
        reason: "conflict",
        current: reply[1] as PromotionStatus,
      };
    }
    const promotion = await this.get(id);
    if (!promotion) return { ok: false, reason: "missing" };
    return { ok: true, promotion };
  }
}

export type UpdateParams = {
  id: string;
  from: readonly PromotionStatus[];
  /** The new status; without it the status stays. */
  to?: PromotionStatus;
  /** Values the fields must still have; undefined expects the field to be absent. */
  expect?: Partial<Record<keyof Promotion, string | number | undefined>>;
  fields?: Partial<Promotion>;
  actor: string;
  reason?: string;
  /** The audit event's action when the status stays, for example `canary_step`. */
  action?: string;
};

export type CompleteParams = {
  id: string;
  from: readonly PromotionStatus[];
  expect?: UpdateParams["expect"];
  actor: string;
  /** `push` appends the version to the release history; a rollback `trim`s back to it. */
  history: "push" | "trim";
  releaseHold: boolean;
};

export type CompleteResult =
  | { ok: true; promotion: Promotion; holdReleased: boolean }
  | Exclude<TransitionResult, { ok: true }>;

function checkTransitions(
  from: readonly PromotionStatus[],
  to: PromotionStatus,
): void {
  for (const status of from) {
    if (status !== to && !ALLOWED_TRANSITIONS[status].includes(to)) {
      throw new Error(`transition ${status} -> ${to} is not allowed`);
    }
  }
}

function expectedPairs(expect: UpdateParams["expect"] = {}): string[] {
  return Object.entries(expect).flatMap(([field, value]) => [
    field,
    value === undefined ? "" : String(value),
  ]);
}

/** Returns a sortable promotion id: time first, then randomness. */
export function newPromotionId(): string {
  return `prm_${Date.now().toString(36)}${randomBytes(5).toString("hex")}`;
}
