/**
 * Save, then apply. PBX objects are saved staged; a tenant's pending changes take effect when they
 * are applied. A resource reports success only once its own change is live.
 *
 * Creates, updates and deletes running at the same time in one provider process share applies. Per
 * tenant, the staged writes in progress are counted (`stagedWrite`): a caller that has saved joins
 * the tenant's next `POST …/changes/apply`, which is sent as soon as every write in progress has
 * saved and joined — at once when it is the only one — or at the latest 250 ms after its first
 * caller. Callers that arrive while an apply is in flight join the next one (single flight). Without
 * that count (a direct call), a short trailing debounce gathers the callers instead. A change
 * rejected because a target extension does not exist yet — another create of the same deployment
 * may still be running — is retried with backoff until `applyWaitMs` runs out, then fails with the
 * platform's reasons. A change that fails is withdrawn from the platform, so nothing stays pending.
 */
import { request } from "./client";
import { settings } from "./config";
import { ApplyRejectedError, NotFoundError, PreconditionError } from "./errors";
import { backoffMs } from "./retry";
import type { FieldError } from "./errors";

export interface AppliedChange {
  kind: string;
  objectId: string;
  op: string;
}
export interface RejectedChange extends AppliedChange {
  errors: FieldError[];
}
export interface ApplyResult {
  applied: AppliedChange[];
  rejected: RejectedChange[];
}

/**
 * Trailing debounce: each new caller extends the wait by this much, up to maxBatchWaitMs after the
 * first. 100 ms measured best at 500 resources (tests/bench/scale.ts): 0.19 applies per PBX object,
 * 1.09 requests per resource, against 0.27 and 1.12 at 25 ms, with no longer wall time.
 */
const debounceMs = 100;
/** A wait for targets longer than this is announced. */
const narrateAfterMs = 3_000;
const maxBatchWaitMs = 250;

interface Batch {
  promise: Promise<ApplyResult>;
  resolve: (r: ApplyResult) => void;
  reject: (e: unknown) => void;
}

interface TenantQueue {
  next?: Batch;
  inFlight?: Promise<unknown>;
  timer?: NodeJS.Timeout;
  /** When the waiting batch got its first caller. */
  firstAt?: number;
}

const queues = new Map<string, TenantQueue>();

/**
 * Staged writes of a tenant in progress in this process, and the objects among them that have
 * saved and joined an apply: writes still saving = writes − joined.
 */
const writes = new Map<string, { count: number; joined: Set<string> }>();

/** Applies made by this process, for tests and benchmarks. */
export const applyStats = { applies: 0 };

/**
 * Runs one staged write (a create, update or delete of a PBX object of the tenant): while it saves,
 * the tenant's next apply waits for it, so that writes saved together are applied together without
 * a timer on the path of each. `objectIdOf` names the object once the write is over (a create's id
 * is known only then).
 */
export async function stagedWrite<T>(tenantId: unknown, write: () => Promise<T>, objectIdOf: (result: T | undefined, err?: unknown) => string | undefined): Promise<T> {
  if (typeof tenantId !== "string" || !tenantId) return write();
  let w = writes.get(tenantId);
  if (!w) writes.set(tenantId, (w = { count: 0, joined: new Set() }));
  w.count++;
  let result: T | undefined;
  let error: unknown;
  try {
    return (result = await write());
  } catch (err) {
    throw (error = err);
  } finally {
    w.count--;
    const id = objectIdOf(result, error);
    if (id) w.joined.delete(id);
    if (w.count === 0) writes.delete(tenantId);
    // This write may have been the last one the waiting batch waited for.
    const q = queues.get(tenantId);
    if (q) dispatch(tenantId, q);
  }
}

/** Writes of the tenant still saving; undefined when none is counted (direct calls). */
function stillSaving(tenantId: string): number | undefined {
  const w = writes.get(tenantId);
  return w ? Math.max(0, w.count - w.joined.size) : undefined;
}

/** Joins the next apply of the tenant's pending changes and returns its result. */
export function applyTenant(tenantId: string, objectId?: string): Promise<ApplyResult> {
  let q = queues.get(tenantId);
  if (!q) queues.set(tenantId, (q = {}));
  if (!q.next) {
    let resolve!: Batch["resolve"];
    let reject!: Batch["reject"];
    const promise = new Promise<ApplyResult>((res, rej) => ((resolve = res), (reject = rej)));
    q.next = { promise, resolve, reject };
    q.firstAt = Date.now();
  }
  if (objectId) writes.get(tenantId)?.joined.add(objectId);
  const batch = q.next.promise;
  dispatch(tenantId, q);
  return batch;
}

/**
 * Sends the waiting batch when nothing more is coming (every counted write has saved), else arms
 * its timer: the deadline 250 ms after its first caller, or, for uncounted callers, the debounce.
 */
function dispatch(tenantId: string, q: TenantQueue): void {
  if (!q.next || q.inFlight) return;
  if (q.timer) clearTimeout(q.timer);
  const saving = stillSaving(tenantId);
  const untilDeadline = Math.max(0, (q.firstAt ?? Date.now()) + maxBatchWaitMs - Date.now());
  // A zero timer rather than at once: callers whose saves completed in the same turn all join.
  if (saving === 0) q.timer = setTimeout(() => run(tenantId, q), 0);
  else q.timer = setTimeout(() => run(tenantId, q), saving === undefined ? Math.min(debounceMs, untilDeadline) : untilDeadline);
}

function run(tenantId: string, q: TenantQueue): void {
  const batch = q.next!;
  q.next = undefined;
  q.timer = undefined;
  applyStats.applies++;
  const flight = request<ApplyResult>({
    method: "POST",
    path: `/v1/tenants/${encodeURIComponent(tenantId)}/changes/apply`,
    // Applying is safe to repeat: it applies whatever is pending, once.
    repeatable: true,
  }).then(
    (res) => batch.resolve({ applied: res.body?.applied ?? [], rejected: res.body?.rejected ?? [] }),
    (err) => batch.reject(err),
  );
  q.inFlight = flight;
  void flight.finally(() => {
    q.inFlight = undefined;
    if (q.next) dispatch(tenantId, q);
    else queues.delete(tenantId);
  });
}

/**
 * A rejection that a later apply may accept: a target (extension number, member) that does not
 * exist yet. Anything else (a malformed change) fails at once.
 */
export function isWaitingForTarget(errors: FieldError[]): boolean {
  return errors.length > 0 && errors.every((e) => /does not exist|is not live|no such|not found/i.test(e.message));
}

export interface ConfirmOptions {
  tenantId: string;
  kind: string;
  objectId: string;
  /**
   * The revision this caller saved. Given, a change the platform will not apply is withdrawn
   * (`DELETE …/changes/{objectId}`, If-Match this revision, so someone else's later change stays):
   * the deployment fails and leaves nothing pending, so correcting the program is enough.
   */
  revision?: number;
}

/** What became of a rejected change: withdrawn (the object is back as it is live, or gone if it never was), or left pending. */
export type Withdrawal = { withdrawn: true } | { withdrawn: false; why: string };

/** The error of a change the platform would not apply, and whether it was withdrawn. */
export type ApplyRejection = ApplyRejectedError & { withdrawal: Withdrawal };

async function withdraw(opts: ConfirmOptions): Promise<Withdrawal> {
  if (opts.revision === undefined) return { withdrawn: false, why: "" };
  try {
    await request({
      method: "DELETE",
      path: `/v1/tenants/${encodeURIComponent(opts.tenantId)}/changes/${encodeURIComponent(opts.objectId)}`,
      ifMatch: opts.revision,
    });
    return { withdrawn: true };
  } catch (err) {
    // No pending change any more: a first attempt whose response was lost withdrew it.
    if (err instanceof NotFoundError) return { withdrawn: true };
    if (err instanceof PreconditionError) return { withdrawn: false, why: "it was changed outside Pulumi since this deployment saved it" };
    return { withdrawn: false, why: `withdrawing it failed: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}` };
  }
}

/**
 * Applies until the object's own change is live. When the platform will not apply it, withdraws it
 * (see ConfirmOptions.revision) and throws an ApplyRejection with the platform's reasons.
 */
export async function applyAndConfirm(opts: ConfirmOptions): Promise<void> {
  const deadline = Date.now() + settings().applyWaitMs;
  const s = settings();
  const started = Date.now();
  let narrated = false;
  for (let attempt = 1; ; attempt++) {
    const result = await applyTenant(opts.tenantId, opts.objectId);
    if (result.applied.some((c) => c.objectId === opts.objectId)) return;
    const rejected = result.rejected.find((c) => c.objectId === opts.objectId);
    // The apply a caller joins is sent after the caller's change was saved, and applies everything
    // pending: a change it neither applied nor rejected was no longer pending, so an earlier or
    // concurrent apply (or a first attempt whose response was lost) made it live. No re-read needed.
    if (!rejected) return;
    const waiting = isWaitingForTarget(rejected.errors);
    if (!waiting || Date.now() >= deadline) {
      const withdrawal = await withdraw(opts);
      const waited = waiting ? ` after waiting ${Math.round(s.applyWaitMs / 1000)} s for the targets to be created` : "";
      const fix = waiting ? "Declare the target extension (or fix the target)" : "Fix the reason above";
      const cycle = waiting
        ? " If the program does declare it, the targets form a cycle larger than the engine's parallelism: raise it (`pulumi up --parallel 64`, or PULUMI_PARALLEL)."
        : "";
      const hint = withdrawal.withdrawn
        ? `The platform withdrew the change: the ${opts.kind.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()} is as it was before this deployment. ${fix} and run \`pulumi up\` again.${cycle}`
        : `The change stays pending on the platform${withdrawal.why ? ` (not withdrawn: ${withdrawal.why})` : ""}. ${fix} and run \`pulumi up\` again; the pending change is then applied.${cycle}`;
      const err = new ApplyRejectedError({
        method: "POST",
        path: `/v1/tenants/${opts.tenantId}/changes/apply`,
        detail: `the platform saved ${opts.kind} ${opts.objectId} but would not apply the change${waited}`,
        errors: rejected.errors.map((e) => ({ path: String(e.path ?? "").replace(/\.(\d+)(?=\.|$)/g, "[$1]"), message: e.message })),
        hint,
      });
      throw Object.assign(err, { withdrawal });
    }
    // Rejected for a target that does not exist yet: wait for the create that brings it — and say
    // so once the wait is noticeable, so a long quiet step explains itself (the provider host's
    // stdout is shown by the engine).
    if (!narrated && Date.now() - started >= narrateAfterMs) {
      narrated = true;
      const reasons = rejected.errors.map((e) => `${e.path ? `${e.path}: ` : ""}${e.message}`).join("; ");
      console.log(
        `${opts.kind} ${opts.objectId}: the platform will not apply its change yet (${reasons}); ` +
          `waiting up to ${Math.round(s.applyWaitMs / 1000)} s in all for another resource of this deployment to create the target.`,
      );
    }
    await new Promise((r) => setTimeout(r, Math.min(backoffMs(attempt, 50, 2_000), Math.max(0, deadline - Date.now()))));
  }
}

type Obj = Record<string, any>;
interface StagedProvider {
  create(inputs: Obj): Promise<{ id: string; outs: Obj }>;
  update(id: string, olds: Obj, news: Obj): Promise<{ outs: Obj }>;
  delete(id: string, props: Obj): Promise<void>;
}

/** A staged kind's provider whose writes are counted (stagedWrite), so that its applies wait for no timer. */
export function countingStagedWrites<P extends StagedProvider>(provider: P): P {
  return {
    ...provider,
    create: (inputs: Obj) => stagedWrite(inputs.tenantId, () => provider.create(inputs), (r, err) => r?.id ?? (err as { id?: string } | undefined)?.id),
    update: (id: string, olds: Obj, news: Obj) => stagedWrite(news.tenantId ?? olds.tenantId, () => provider.update(id, olds, news), () => id),
    delete: (id: string, props: Obj) => stagedWrite(props.tenantId, () => provider.delete(id, props), () => id),
  };
}
