/**
 * The queue side of a fleet run on a real PostgreSQL, without workers: one job per customer and
 * revision, the same revision queued twice is one job, a newer revision cancels the older one
 * still waiting, and results written by a worker come back as the run's results.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Client } from "pg";
import { parseCatalogue, type Customer } from "../../automation/catalogue";
import { queueRunner } from "../../automation/fleet";
import { queueName } from "../../automation/fleet-queue";
import type { CustomerResult, Task, TaskContext } from "../../automation/provision";
import { startTestPostgres, type TestPostgres } from "../support/postgres";

let pg: TestPostgres;
let dir: string;
beforeAll(async () => {
  pg = await startTestPostgres();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-queue-"));
  fs.writeFileSync(path.join(dir, "quotas.json"), "{}\n");
}, 60_000);
afterAll(async () => {
  await pg?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const catalogue = (alias: string) =>
  parseCatalogue({
    reseller: { name: "Q", domain: "q.example.com", defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "1-10", adminEmailDomain: "ops.example.com" }, plans: { small: { maxAgents: 3, diskQuotaGb: 5, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 3 } } },
    customers: ["a", "b", "c"].map((id) => ({ id, plan: "small", tenant: { companyName: id }, agents: [{ account: "ann", firstName: "Ann", alias, email: `ann@${id}.example.com` }] })),
  });

function context(results: Map<string, CustomerResult>): TaskContext {
  return {
    offboard: false,
    finish: (id, r) => results.set(id, r),
    stackOptions: () => ({
      projectName: "proj",
      workDir: dir,
      backendUrl: pg.url,
      endpoint: "http://127.0.0.1:1",
      packDirs: ["/x/quotas"],
      packConfigs: [path.join(dir, "quotas.json")],
      dryRun: false,
      force: false,
      onProgress: () => undefined,
    }),
  };
}

const tasks = (alias: string): Task[] => catalogue(alias).entries.map((e) => ({ kind: "deploy", customer: e.customer as Customer }));

async function jobs(): Promise<Array<{ id: string; state: string; key: string; alias: string }>> {
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  try {
    const { rows } = await client.query("select id, state, singleton_key as key, data->'customer'->'agents'->0->>'alias' as alias from pgboss.job where name = $1 order by singleton_key, created_on", [queueName]);
    return rows;
  } finally {
    await client.end();
  }
}

test("queuing is idempotent per revision; a newer revision replaces the waiting one", async () => {
  const first = new Map<string, CustomerResult>();
  await queueRunner({ queueUrl: pg.url, enqueueOnly: true })(tasks("Ann"), context(first));
  expect([...first.values()].map((r) => r.state)).toEqual(["skipped", "skipped", "skipped"]);
  expect(await jobs()).toHaveLength(3);

  const again = new Map<string, CustomerResult>();
  await queueRunner({ queueUrl: pg.url, enqueueOnly: true })(tasks("Ann"), context(again));
  expect([...again.values()].map((r) => r.note)).toEqual([...first.values()].map((r) => r.note));
  expect(await jobs()).toHaveLength(3);

  await queueRunner({ queueUrl: pg.url, enqueueOnly: true })(tasks("Annie"), context(new Map()));
  const all = await jobs();
  expect(all.filter((j) => j.state === "created").map((j) => [j.key, j.alias])).toEqual([
    ["proj/a", "Annie"],
    ["proj/b", "Annie"],
    ["proj/c", "Annie"],
  ]);
  expect(all.filter((j) => j.state === "cancelled")).toHaveLength(3);
});

test("the run waits for the workers' results and reports them as its own", async () => {
  const results = new Map<string, CustomerResult>();
  const waiting = queueRunner({ queueUrl: pg.url, pollMs: 100 })(tasks("Bea"), context(results));
  // A stand-in worker: completes each job with a result, as omnitenant worker does.
  const client = new Client({ connectionString: pg.url });
  await client.connect();
  try {
    for (;;) {
      // The run creates the queue's schema if this test runs alone.
      const { rows } = await client.query("select id, data->>'id' as customer from pgboss.job where name = $1 and state = 'created' and data->'customer'->'agents'->0->>'alias' = 'Bea'", [queueName]).catch(() => ({ rows: [] as any[] }));
      if (rows.length === 3) {
        for (const r of rows) {
          const output: CustomerResult = { id: r.customer, state: r.customer === "b" ? "failed" : "created", changes: { create: 3 }, durationMs: 5, ...(r.customer === "b" ? { error: "boom", code: "engine" } : {}) };
          await client.query("update pgboss.job set state = 'completed', started_on = now(), completed_on = now(), output = $2 where id = $1", [r.id, JSON.stringify(output)]);
        }
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.end();
  }
  await waiting;
  expect(Object.fromEntries([...results].map(([id, r]) => [id, r.state]))).toEqual({ a: "created", b: "failed", c: "created" });
  expect(results.get("b")!.error).toBe("boom");
});
