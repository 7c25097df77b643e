/**
 * Provisioning through the fleet: provision() plans the run as always, and this runner hands each
 * customer to the workers as a job on the queue, then waits for the results (with live progress
 * from every worker) so that the report is the one a run on one machine gives.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type PgBoss from "pg-boss";
import type { Notification } from "pg";
import { connect, redactUrl } from "./fleet-db";
import { jobId, jobRevision, openQueue, progressChannel, queueName, singletonKey, type JobData, type QueueSettings } from "./fleet-queue";
import type { CustomerResult, ProgressEvent } from "./provision-types";
import type { Task, TaskContext, TaskRunner } from "./provision";

export interface FleetOptions {
  queueUrl: string;
  /** Return once the jobs are queued; workers deploy them later. */
  enqueueOnly?: boolean;
  /** Used when the queue is created (lease, retries); an existing queue keeps its own. */
  settings?: QueueSettings;
  /** How often job states are read while waiting; default 1 s. */
  pollMs?: number;
  onProgress?: (e: ProgressEvent) => void;
}

interface Pending {
  job: string;
  id: string;
  phase: "deploying" | "previewing" | "offboarding";
  started: boolean;
}

function jobData(task: Task, ctx: TaskContext): JobData {
  const id = task.kind === "deploy" ? task.customer.id : task.id;
  const o = ctx.stackOptions(id);
  const packs = o.packDirs.map((d) => path.basename(d));
  const packConfigs = Object.fromEntries(packs.map((name, i) => [name, fs.readFileSync(o.packConfigs[i], "utf8")]));
  const data = {
    kind: task.kind === "deploy" ? ("deploy" as const) : ("offboard" as const),
    id,
    ...(task.kind === "deploy" ? { customer: task.customer } : {}),
    project: o.projectName,
    backend: redactUrl(o.backendUrl),
    dryRun: o.dryRun,
    force: o.force,
    offboard: ctx.offboard,
    packs,
    packConfigs,
  };
  return { v: 1, ...data, revision: jobRevision(data) };
}

/**
 * Queues one job, unless the same revision of the customer is already queued or running (then its
 * job is the one to wait for). Older revisions still waiting are cancelled: they must not run
 * after this one.
 */
async function enqueue(boss: PgBoss, schema: string, data: JobData): Promise<string> {
  const id = jobId(data.project, data.id, data.revision);
  const key = singletonKey(data.project, data.id);
  const existing = await boss.getJobById(queueName, id);
  if (existing && ["created", "retry", "active"].includes(existing.state)) return id;
  if (existing) await boss.deleteJob(queueName, id);
  const db = boss.getDb();
  const older = await db.executeSql(`select id from ${schema}.job where name = $1 and singleton_key = $2 and state in ('created', 'retry') and id <> $3`, [queueName, key, id]);
  const olderIds = (older.rows as Array<{ id: string }>).map((r) => r.id);
  if (olderIds.length) await boss.cancel(queueName, olderIds);
  // null: another provision queued the same revision just now; that job is the one.
  await boss.send(queueName, data as unknown as object, { id, singletonKey: key });
  return id;
}

function resultOf(id: string, state: string, output: unknown, startedOn: Date | null, completedOn: Date | null): CustomerResult {
  const durationMs = startedOn && completedOn ? completedOn.getTime() - startedOn.getTime() : 0;
  if (state === "completed" && output && typeof output === "object" && "state" in output) return output as CustomerResult;
  if (state === "cancelled") {
    return { id, state: "failed", code: "engine", changes: {}, durationMs, error: "its job was cancelled: a newer revision of the customer was queued by another provision run" };
  }
  const value = (output as { value?: unknown; message?: string } | null) ?? {};
  const message = typeof value.message === "string" ? value.message : typeof value.value === "string" ? value.value : JSON.stringify(value.value ?? value);
  return { id, state: "failed", code: "engine", changes: {}, durationMs, error: `failed on every attempt; the last: ${message}` };
}

/** A task runner for provision(): queue every customer, then wait for all of them. */
export function queueRunner(fleet: FleetOptions): TaskRunner {
  return async (tasks, ctx) => {
    const onProgress = fleet.onProgress ?? (() => undefined);
    const queue = await openQueue(fleet.queueUrl, { install: true, settings: fleet.settings });
    const pending = new Map<string, Pending>();
    try {
      for (const task of tasks) {
        const data = jobData(task, ctx);
        const job = await enqueue(queue.boss, queue.schema, data);
        const phase = data.kind === "offboard" ? "offboarding" : data.dryRun ? "previewing" : "deploying";
        pending.set(job, { job, id: data.id, phase, started: false });
      }
      if (fleet.enqueueOnly) {
        for (const p of pending.values()) {
          ctx.finish(p.id, { id: p.id, state: "skipped", changes: {}, durationMs: 0, note: `queued as job ${p.job}; workers (omnitenant worker) run it` });
        }
        return;
      }
      await waitForJobs(queue.boss, queue.schema, pending, ctx, onProgress, fleet);
    } finally {
      await queue.stop();
    }
  };
}

async function waitForJobs(boss: PgBoss, schema: string, pending: Map<string, Pending>, ctx: TaskContext, onProgress: (e: ProgressEvent) => void, fleet: FleetOptions): Promise<void> {
  const listener = await connect(fleet.queueUrl, "--queue");
  listener.on("notification", (n: Notification) => {
    try {
      const e = JSON.parse(n.payload ?? "{}") as { job: string; done: number; total: number };
      const p = pending.get(e.job);
      if (p?.started) onProgress({ type: "resource", id: p.id, done: e.done, total: e.total });
    } catch {
      // not ours
    }
  });
  await listener.query(`listen ${progressChannel}`);
  try {
    while (pending.size) {
      const { rows } = await boss.getDb().executeSql(
        `select id, state, output, started_on, completed_on, data->'customer' as customer from ${schema}.job where name = $1 and id = any($2::uuid[])
         union all select id, state, output, started_on, completed_on, data->'customer' from ${schema}.archive where name = $1 and id = any($2::uuid[])`,
        [queueName, [...pending.keys()]],
      );
      for (const row of rows as Array<{ id: string; state: string; output: unknown; started_on: Date | null; completed_on: Date | null; customer: { agents?: unknown[] } | null }>) {
        const p = pending.get(row.id);
        if (!p) continue;
        if (row.state === "active" && !p.started) {
          p.started = true;
          onProgress({ type: "start", id: p.id, phase: p.phase, total: 0 });
        }
        if (["completed", "failed", "cancelled"].includes(row.state)) {
          pending.delete(row.id);
          ctx.finish(p.id, resultOf(p.id, row.state, row.output, row.started_on, row.completed_on));
        }
      }
      if (pending.size) await new Promise((r) => setTimeout(r, fleet.pollMs ?? 1000));
    }
  } finally {
    await listener.end().catch(() => undefined);
  }
}
