import type { Redis } from "ioredis";
import { keys } from "../store/keys.js";
import {
  retrainingRunSchema,
  toRunFields,
  type NewRetrainingRun,
  type RetrainingNotice,
  type RetrainingOutcomeKind,
  type RetrainingRun,
} from "./retraining-run.js";

/**
 * Maximum time a run keeps its model's lock when no completed workflow run
 * releases it. GitHub-hosted jobs stop after 6 hours. A self-hosted training
 * job that runs longer loses the lock, so a new request may start a second run.
 */
export const RUN_LOCK_TTL_MS = 24 * 3_600_000;

/** How long a run's record, and so its dedupe key, is kept. */
const RUN_RECORD_TTL_SECONDS = 30 * 86_400;

/**
 * Creates the run unless its dedupe key was seen, another run has the
 * model's lock, or the cooldown since the model's last dispatch has not passed.
 * KEYS: run hash, model lock, model's last dispatch time.
 * ARGV: run id, lock TTL (ms), record TTL (s), now (ms), cooldown (ms, 0 for
 * none), then the run's field/value pairs.
 */
const RESERVE = `
if redis.call('EXISTS', KEYS[1]) == 1 then return {'duplicate', ARGV[1]} end
local holder = redis.call('GET', KEYS[2])
if holder then return {'in_flight', holder} end
local cooldown = tonumber(ARGV[5])
if cooldown > 0 then
  local last = redis.call('GET', KEYS[3])
  if last and tonumber(ARGV[4]) - tonumber(last) < cooldown then
    return {'cooldown', last}
  end
end
redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[2])
redis.call('HSET', KEYS[1], unpack(ARGV, 6))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {'reserved', ARGV[1]}
`;

/**
 * Moves a queued run to dispatched and records the dispatch time for the
 * cooldown. KEYS: run hash, model's last dispatch time. ARGV: dispatch time
 * (ISO), now (ms), ref. Returns 1 when it moved the run, 0 otherwise.
 */
const MARK_DISPATCHED = `
if redis.call('HGET', KEYS[1], 'status') ~= 'queued' then return 0 end
redis.call('HSET', KEYS[1], 'status', 'dispatched', 'dispatchedAt', ARGV[1], 'ref', ARGV[3])
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;

/**
 * Completes a run once, with its outcome and the notice that reports it,
 * and releases its model when the run still holds it.
 * KEYS: run hash, model lock. ARGV: run id, outcome, time, notice (JSON).
 */
const COMPLETE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if status == 'completed' then return 'already' end
redis.call('HSET', KEYS[1], 'status', 'completed', 'outcome', ARGV[2], 'completedAt', ARGV[3], 'notice', ARGV[4])
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 'completed'
`;

type ScriptedRedis = Redis & {
  gantryRetrainingReserve(...args: (string | number)[]): Promise<string[]>;
  gantryRetrainingDispatched(...args: (string | number)[]): Promise<number>;
  gantryRetrainingComplete(...args: (string | number)[]): Promise<string>;
};

export type ReserveResult =
  | { result: "reserved" | "duplicate" }
  | { result: "in_flight"; holder: RetrainingRun | undefined }
  | { result: "cooldown"; lastDispatchAt: Date };

/** Retraining runs in Redis, with the one-run-per-model lock and the cooldown clock. */
export class RetrainingRunStore {
  private readonly redis: ScriptedRedis;

  constructor(redis: Redis) {
    if (!("gantryRetrainingReserve" in redis)) {
      redis.defineCommand("gantryRetrainingReserve", {
        numberOfKeys: 3,
        lua: RESERVE,
      });
      redis.defineCommand("gantryRetrainingDispatched", {
        numberOfKeys: 2,
        lua: MARK_DISPATCHED,
      });
      redis.defineCommand("gantryRetrainingComplete", {
        numberOfKeys: 2,
        lua: COMPLETE,
      });
    }
    this.redis = redis as ScriptedRedis;
  }

  /**
   * Stores a new queued run and takes its model's lock, atomically. A run
   * whose id exists already is a repeated request and changes nothing.
   */
  async reserve(
    run: NewRetrainingRun,
    params: { cooldownMs: number; now: Date },
  ): Promise<ReserveResult> {
    const fields = toRunFields({ ...run, status: "queued" });
    const [result, value] = await this.redis.gantryRetrainingReserve(
      keys.retrainingRun(run.id),
      keys.retrainingLock(run.modelKey),
      keys.retrainingLastDispatch(run.modelKey),
      run.id,
      RUN_LOCK_TTL_MS,
      RUN_RECORD_TTL_SECONDS,
      params.now.getTime(),
      params.cooldownMs,
      ...Object.entries(fields).flat(),
    );

    if (result === "in_flight")
      return { result, holder: value ? await this.get(value) : undefined };
    if (result === "cooldown")
      return { result, lastDispatchAt: new Date(Number(value)) };
    return { result: result === "duplicate" ? "duplicate" : "reserved" };
  }

  async get(id: string): Promise<RetrainingRun | undefined> {
    const fields = await this.redis.hgetall(keys.retrainingRun(id));
    if (Object.keys(fields).length === 0) return undefined;
    return retrainingRunSchema.parse(fields);
  }

  /** Returns the id of the run that has a model's lock, if any. */
  async inFlight(modelKey: string): Promise<string | undefined> {
    return (await this.redis.get(keys.retrainingLock(modelKey))) ?? undefined;
  }

  async setFields(id: string, fields: Partial<RetrainingRun>): Promise<void> {
    await this.redis.hset(keys.retrainingRun(id), toRunFields(fields));
  }

  /** Moves a queued run to dispatched. Returns false when it was not queued. */
  async markDispatched(
    run: RetrainingRun,
    params: { at: Date; ref: string },
  ): Promise<boolean> {
    const moved = await this.redis.gantryRetrainingDispatched(
      keys.retrainingRun(run.id),
      keys.retrainingLastDispatch(run.modelKey),
      params.at.toISOString(),
      params.at.getTime(),
      params.ref,
    );
    return moved === 1;
  }

  /**
   * Links a run to the GitHub workflow run it started. Returns false when
   * that workflow run already belongs to another retraining run.
   */
  async linkWorkflowRun(
    run: RetrainingRun,
    workflowRun: { id: number; url: string },
  ): Promise<boolean> {
    const indexKey = keys.retrainingByWorkflowRun(run.repo, workflowRun.id);
    const claimed = await this.redis.set(
      indexKey,
      run.id,
      "EX",
      RUN_RECORD_TTL_SECONDS,
      "NX",
    );
    if (claimed !== "OK" && (await this.redis.get(indexKey)) !== run.id)
      return false;

    await this.setFields(run.id, {
      workflowRunId: workflowRun.id,
      workflowRunUrl: workflowRun.url,
    });
    return true;
  }

  /** Returns the id of the retraining run linked to a workflow run, if one is. */
  async workflowRunHolder(
    repo: string,
    workflowRunId: number,
  ): Promise<string | undefined> {
    const id = await this.redis.get(
      keys.retrainingByWorkflowRun(repo, workflowRunId),
    );
    return id ?? undefined;
  }

  async findByWorkflowRun(
    repo: string,
    workflowRunId: number,
  ): Promise<RetrainingRun | undefined> {
    const id = await this.workflowRunHolder(repo, workflowRunId);
    return id ? this.get(id) : undefined;
  }

  /**
   * Completes a run with its outcome and the notice to send, and releases
   * its model. Returns false when the run was completed before.
   */
  async complete(
    run: RetrainingRun,
    outcome: RetrainingOutcomeKind,
    notice: RetrainingNotice,
  ): Promise<boolean> {
    const reply = await this.redis.gantryRetrainingComplete(
      keys.retrainingRun(run.id),
      keys.retrainingLock(run.modelKey),
      run.id,
      outcome,
      new Date().toISOString(),
      JSON.stringify(notice),
    );
    return reply === "completed";
  }

  /**
   * Runs a side effect (a Slack post, a ticket comment) once per run and
   * step, so a retried job skips the steps that finished before.
   */
  async once(
    runId: string,
    step: string,
    effect: () => Promise<void>,
  ): Promise<void> {
    const field = `step:${step}`;
    if (await this.redis.hexists(keys.retrainingRun(runId), field)) return;

    await effect();
    await this.redis.hset(
      keys.retrainingRun(runId),
      field,
      new Date().toISOString(),
    );
  }
}
