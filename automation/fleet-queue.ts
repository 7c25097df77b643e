/**
 * The fleet's durable job queue: pg-boss on PostgreSQL. One job per customer and catalogue
 * revision; the queue's singleton policy lets one job per customer be active at a time, a job's
 * expiry is the lease a killed worker loses, and failed jobs are retried with backoff.
 */
import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import type { Customer } from "./catalogue";
import { connect, describeDbError, FleetError, splitUrl } from "./fleet-db";

export const queueName = "omnitenant-provision";
/** pg-boss's schema unless the queue URL names another (`?schema=`). */
export const defaultQueueSchema = "pgboss";
/** Progress of running jobs, sent by workers with NOTIFY, so that `provision` shows it live. */
export const progressChannel = "omnitenant_fleet_progress";

export interface JobData {
  /** The format of this payload, so that a worker of another version refuses rather than guesses. */
  v: 1;
  kind: "deploy" | "offboard";
  /** Customer id and stack name. */
  id: string;
  customer?: Customer;
  project: string;
  /** The backend the enqueuer keeps stacks in, without password: a worker must use the same one. */
  backend: string;
  dryRun: boolean;
  force: boolean;
  offboard: boolean;
  /** Pack names to run (the worker's own builds of them), and each pack's config file content. */
  packs: string[];
  packConfigs: Record<string, string>;
  /** Identifies the revision: customer entry, mode, packs and their config. */
  revision: string;
}

export interface QueueSettings {
  /** Seconds a worker may hold a job; a worker killed mid-job loses it after this long. */
  leaseSeconds: number;
  retryLimit: number;
  /** First retry delay in seconds; doubled at each retry (pg-boss's backoff, with jitter). */
  retryDelaySeconds: number;
}

export const defaultQueueSettings: QueueSettings = { leaseSeconds: 900, retryLimit: 3, retryDelaySeconds: 5 };

/** The revision of a job: everything that decides what its run does. */
export function jobRevision(data: Omit<JobData, "revision" | "v">): string {
  return createHash("sha256").update(JSON.stringify(data)).digest("base64url").slice(0, 24);
}

/** A job id fixed by customer and revision, so that enqueuing the same revision twice finds the first job. */
export function jobId(project: string, id: string, revision: string): string {
  const h = createHash("sha256").update(`${project}\0${id}\0${revision}`).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export const singletonKey = (project: string, id: string) => `${project}/${id}`;

export interface Queue {
  boss: PgBoss;
  schema: string;
  url: string;
  stop(): Promise<void>;
}

/**
 * Opens the queue. `install` creates pg-boss's schema and the queue when missing (what
 * `provision --queue` does); a worker does not, and says so when the schema is not there.
 */
export async function openQueue(url: string, options: { install: boolean; settings?: QueueSettings; workers?: boolean; maintenanceSeconds?: number }): Promise<Queue> {
  const field = "--queue";
  const { connectionString, params } = splitUrl(url, field);
  const schema = params.schema ?? defaultQueueSchema;
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new FleetError("database.url", field, `${field}: schema ${JSON.stringify(schema)} must be a lower-case SQL name`);
  const probe = await connect(url, field);
  try {
    const { rows } = await probe.query("select 1 from information_schema.schemata where schema_name = $1", [schema]);
    if (!rows.length && !options.install) {
      throw new FleetError(
        "database.schema-missing",
        field,
        `${field}: the queue's schema "${schema}" does not exist in ${splitUrl(url, field).connectionString.replace(/:[^:@/]*@/, ":***@")}; run \`omnitenant provision CATALOGUE --queue URL\` once (it installs the queue), or fix the URL's database or ?schema=`,
      );
    }
  } finally {
    await probe.end();
  }
  const boss = new PgBoss({
    connectionString,
    schema,
    application_name: "omnitenant",
    migrate: options.install,
    supervise: options.workers ?? false,
    schedule: false,
    // How often expired leases are found; the lease itself is per job.
    maintenanceIntervalSeconds: options.maintenanceSeconds ?? 10,
    max: 4,
  } as PgBoss.ConstructorOptions);
  const errors: unknown[] = [];
  boss.on("error", (err) => errors.push(err));
  try {
    await boss.start();
    if (options.install && !(await boss.getQueue(queueName))) {
      const s = options.settings ?? defaultQueueSettings;
      await boss.createQueue(queueName, {
        name: queueName,
        policy: "singleton",
        retryLimit: s.retryLimit,
        retryDelay: s.retryDelaySeconds,
        retryBackoff: true,
        expireInSeconds: s.leaseSeconds,
      } as PgBoss.Queue);
    }
    if (!(await boss.getQueue(queueName))) {
      throw new FleetError("database.schema-missing", field, `${field}: the queue ${queueName} does not exist in schema "${schema}"; run \`omnitenant provision CATALOGUE --queue URL\` once`);
    }
  } catch (err) {
    await boss.stop({ graceful: false, wait: false }).catch(() => undefined);
    throw describeDbError(err, url, field);
  }
  return { boss, schema, url, stop: () => boss.stop({ graceful: true, wait: true, timeout: 30_000 }) };
}
