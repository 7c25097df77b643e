/**
 * A fleet worker: takes customers' jobs from the queue and runs them as provision() would here.
 * Before touching a stack it takes the customer's lock in the state database; holding it, any
 * Pulumi lock left on the stack belongs to a killed run, which is cancelled and repaired.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type PgBoss from "pg-boss";
import type { Client } from "pg";
import { missingEnv } from "./catalogue";
import { connect, FleetError, lockStack, pulumiLocks, redactUrl } from "./fleet-db";
import { openQueue, progressChannel, queueName, type JobData } from "./fleet-queue";
import { installedPacks } from "./policy-config";
import { resolveConnection } from "./provision";
import { deployCustomer, offboardCustomer, type StackRunOptions } from "./provision-stack";
import type { CustomerResult } from "./provision-types";

export interface WorkerOptions {
  queueUrl: string;
  backendUrl: string;
  /** Jobs run at once by this worker; default 1. */
  concurrency?: number;
  endpoint?: string;
  token?: string;
  /** Where the stacks' program directories go; default `<cwd>/.omnitenant/worker`. */
  workDir?: string;
  env?: Record<string, string>;
  /** How often this worker looks for expired leases; default 10 s. */
  maintenanceSeconds?: number;
  /** How often an idle worker polls for jobs; default 1 s. */
  pollSeconds?: number;
  log?: (line: string) => void;
}

export interface RunningWorker {
  /** Stops taking jobs and waits for the running ones. */
  stop(): Promise<void>;
}

/** A customer's run failed in a way another attempt may fix. */
class Retry extends Error {}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const concurrency = o.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, not ${concurrency}`);
  const log = o.log ?? (() => undefined);
  const base = path.resolve(o.workDir ?? path.join(process.cwd(), ".omnitenant", "worker"));
  const { endpoint, token } = resolveConnection(o);
  const env = { ...process.env, ...o.env };
  // Both databases answer before any job is taken.
  await connect(o.backendUrl, "--backend").then((c) => c.end());
  const queue = await openQueue(o.queueUrl, { install: false, workers: true, maintenanceSeconds: o.maintenanceSeconds });
  const notifier: Client = await connect(o.queueUrl, "--queue").catch(async (err: unknown) => {
    await queue.stop();
    throw err;
  });
  queue.boss.on("error", (err: Error) => log(`queue: ${err.message}`));

  // One query at a time on the notifier's connection.
  let notifying: Promise<unknown> = Promise.resolve();
  const notify = (job: string, done: number, total: number) =>
    (notifying = notifying.then(() => notifier.query("select pg_notify($1, $2)", [progressChannel, JSON.stringify({ job, done, total })]).catch(() => undefined)));

  const run = async (job: PgBoss.JobWithMetadata<JobData>): Promise<CustomerResult> => {
    const data = job.data;
    if (data.v !== 1) throw new Error(`job ${job.id} has payload version ${data.v}; this worker reads version 1: upgrade omnitenant on this worker`);
    if (redactUrl(o.backendUrl) !== data.backend) {
      throw new FleetError("fleet.backend-mismatch", "--backend", `the job keeps its stacks in ${data.backend}, this worker was started with --backend ${redactUrl(o.backendUrl)}; start workers with the backend provision uses`);
    }
    const started = Date.now();
    const lock = await lockStack(o.backendUrl, "--backend", `${data.project}/${data.id}`);
    if (!lock) throw new Retry(`${data.id} is being deployed by another worker; this job runs again after it`);
    try {
      log(`${data.id}: ${data.kind === "offboard" ? "offboarding" : data.dryRun ? "previewing" : "deploying"} (job ${job.id}, attempt ${job.retryCount + 1})`);
      const packs = installedPacks().filter((p) => data.packs.includes(p.name));
      const missing = data.packs.filter((name) => !packs.some((p) => p.name === name));
      if (missing.length) throw new Error(`policy pack ${missing.join(", ")} is not built on this worker (${os.hostname()}); build omnitenant here (npm run build)`);
      const configDir = path.join(base, "policy-config", data.revision);
      fs.mkdirSync(configDir, { recursive: true });
      const packConfigs = packs.map((p) => {
        const file = path.join(configDir, `${p.name}.json`);
        fs.writeFileSync(file, data.packConfigs[p.name] ?? "{}\n");
        return file;
      });
      const options: StackRunOptions = {
        projectName: data.project,
        workDir: path.join(base, "stacks", data.id),
        backendUrl: o.backendUrl,
        endpoint,
        token,
        env: o.env,
        packDirs: packs.map((p) => p.dir),
        packConfigs,
        dryRun: data.dryRun,
        force: data.force,
        staleLocks: async () => (await pulumiLocks(o.backendUrl, "--backend", data.project, data.id)).length > 0,
        onProgress: (e) => {
          if (e.type === "resource") void notify(job.id, e.done, e.total);
        },
      };
      let result: CustomerResult;
      if (data.kind === "offboard") result = await offboardCustomer(data.id, data.offboard, options);
      else {
        const customer = data.customer!;
        const unset = missingEnv(customer, env);
        result = unset.length
          ? { id: data.id, state: "failed", code: "catalogue", changes: {}, durationMs: 0, error: `not deployed: on worker ${os.hostname()}, ${unset.map((i) => `${i.path}: ${i.message}`).join("; ")}`, issues: unset.map((i) => `${i.path}: ${i.message}`) }
          : await deployCustomer(customer, options);
      }
      log(`${data.id}: ${result.state}${result.error ? ` — ${result.error.split("\n")[0]}` : ""} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
      if (result.state === "failed" && result.code === "engine" && job.retryCount < job.retryLimit) throw new Retry(result.error ?? "failed");
      return result;
    } finally {
      await lock.release();
    }
  };

  for (let i = 0; i < concurrency; i++) {
    await queue.boss.work<JobData>(queueName, { batchSize: 1, includeMetadata: true, pollingIntervalSeconds: o.pollSeconds ?? 1 }, async ([job]) => {
      try {
        return await run(job);
      } catch (err) {
        log(`${job.data.id}: attempt ${job.retryCount + 1} of ${job.retryLimit + 1} failed: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      }
    });
  }
  log(`worker on ${os.hostname()} (pid ${process.pid}): ${concurrency} at a time, queue ${redactUrl(o.queueUrl)}, backend ${redactUrl(o.backendUrl)}`);
  return {
    stop: async () => {
      await queue.stop();
      await notifier.end().catch(() => undefined);
    },
  };
}
