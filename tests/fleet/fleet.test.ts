/**
 * A reseller fleet end to end: ten customers queued on a real PostgreSQL, deployed by three
 * `omnitenant worker` processes into Pulumi's postgres backend, against a real platform. One
 * worker is killed (its whole process tree, Pulumi's plugins included) in the middle of a
 * deployment: its job loses its lease, runs on another worker, and every customer converges.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import { parseCatalogue } from "../../automation/catalogue";
import { queueRunner } from "../../automation/fleet";
import { openQueue, queueName } from "../../automation/fleet-queue";
import { literalSecrets } from "../../automation/catalogue";
import { provision, type ProvisionOptions, type ProvisionReport } from "../../automation/provision";
import { summaryTable } from "../../automation/provision-display";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { repoRoot, testStacksDir } from "../support/engine";
import { startTestPostgres, type TestPostgres } from "../support/postgres";

const ids = Array.from({ length: 10 }, (_, i) => `cust-${String(i + 1).padStart(2, "0")}`);
const domain = `f${randomBytes(3).toString("hex")}.pbx.example.com`;
const project = "omnitenant-reseller";
const reseller = {
  name: "Fleet Reseller",
  domain,
  defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "1-10", adminEmailDomain: "ops.example.com" },
  plans: { small: { maxAgents: 3, diskQuotaGb: 5, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 3 } },
};
/** Small customers: a tenant, a queue, an agent, an extension. */
const customer = (id: string, i: number) => ({
  id,
  plan: "small",
  tenant: { companyName: `Fleet Customer ${i + 1}` },
  queues: [{ name: "Support", channel: "chat" }],
  agents: [{ account: "ann", firstName: "Ann", alias: "Ann", email: `ann@${id}.example.com`, queues: ["Support"] }],
  extensions: [{ number: "101", name: "Ann", agent: "ann" }],
});

interface Worker {
  child: ChildProcess;
  lines: string[];
  exited: Promise<number | null>;
}

/** Every process below `pid`, from /proc (Pulumi's plugins run in process groups of their own). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(pid);
  return out;
}

/** SIGKILLs a process and everything it started, until nothing of it is left. */
function killTree(pid: number): number {
  let killed = 0;
  for (let round = 0; round < 5; round++) {
    const all = [pid, ...descendants(pid)].filter((p) => {
      try {
        process.kill(p, 0);
        return true;
      } catch {
        return false;
      }
    });
    if (round > 0 && all.length === 0) break;
    for (const p of all) {
      try {
        process.kill(p, "SIGKILL");
        killed++;
      } catch {
        // already gone
      }
    }
  }
  return killed;
}

async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("a fleet: ten customers, three workers, one killed mid-deployment", () => {
  let pg: TestPostgres;
  let platform: TestPlatform;
  let dir: string;
  let queueUrl: string;
  let backendUrl: string;
  const workers: Worker[] = [];
  const customers = ids.map(customer);

  const startWorker = (name: string): Worker => {
    const child = spawn(process.execPath, [path.join(repoRoot, "bin", "omnitenant.js"), "worker", "--queue", queueUrl, "--backend", backendUrl, "--work-dir", path.join(dir, name)], {
      cwd: repoRoot,
      env: { ...process.env, OMNITENANT_ENDPOINT: platform.url, OMNITENANT_TOKEN: platform.operatorToken },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const lines: string[] = [];
    const collect = (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean).map((l) => `[${name}] ${l}`));
    child.stdout!.on("data", collect);
    child.stderr!.on("data", collect);
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const w = { child, lines, exited };
    workers.push(w);
    return w;
  };

  const run = async (extra: Partial<ProvisionOptions> = {}): Promise<ProvisionReport> => {
    const report = await provision(parseCatalogue({ reseller, customers }), {
      endpoint: platform.url,
      token: platform.operatorToken,
      workDir: path.join(dir, "provision"),
      backendUrl,
      // A short lease, so that the killed worker's job is taken over within the test.
      runTasks: queueRunner({ queueUrl, settings: { leaseSeconds: 45, retryLimit: 4, retryDelaySeconds: 1 }, pollMs: 300 }),
      extraIssues: literalSecrets,
      ...extra,
    });
    process.stdout.write(`${summaryTable(report)}\n`);
    return report;
  };

  const sql = async <T>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new Client({ connectionString: pg.url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as T[];
    } finally {
      await client.end();
    }
  };
  const tenants = async () => ((await platform.api("GET", `/v1/tenants?limit=100`)).body.items as Array<Record<string, any>>).filter((t) => String(t.fqdn).endsWith(domain));
  const list = async (tenantId: string, collection: string) => (await platform.api("GET", `/v1/tenants/${tenantId}/${collection}?limit=100`)).body.items as Array<Record<string, any>>;
  const stats = async () => (await platform.api("GET", "/v1/admin/stats")).body as { requests: { byMethod: Record<string, number> }; writes: number };

  beforeAll(async () => {
    pg = await startTestPostgres();
    queueUrl = pg.url;
    backendUrl = pg.url;
    platform = await startTestPlatform();
    // Under the repository: the provider host, run in each stack's directory, resolves omnitenant from there.
    dir = path.join(testStacksDir, `fleet-${randomBytes(4).toString("hex")}`);
    fs.mkdirSync(dir, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) killTree(w.child.pid!);
    await platform?.dispose();
    await pg?.dispose();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    // What the workers said, for a failing expectation.
    process.stdout.write(`${workers.flatMap((w) => w.lines).join("\n")}\n`);
  });

  it("every customer converges after a worker is killed in the middle of a deployment", async () => {
    // Workers need the queue: the first provision --queue installs it.
    await (await openQueue(queueUrl, { install: true, settings: { leaseSeconds: 45, retryLimit: 4, retryDelaySeconds: 1 } })).stop();
    const [victim] = [startWorker("w1"), startWorker("w2"), startWorker("w3")];
    await until("three workers ready", () => {
      const gone = workers.find((w) => w.child.exitCode !== null);
      if (gone) throw new Error(`a worker exited: ${gone.lines.join("\n")}`);
      return workers.every((w) => w.lines.some((l) => l.includes("at a time")));
    });
    const provisioning = run();
    provisioning.catch(() => undefined); // awaited below; not an unhandled rejection if an expectation fails first
    // Mid-deployment: the victim has started a customer, and that customer's tenant exists on the
    // platform, while its stack is still locked by the running update.
    const victimCustomer = await until("the victim to be in the middle of an update", async () => {
      const lines = victim.lines.filter((l) => /cust-\d+: deploying/.test(l));
      const current = lines.length ? /(cust-\d+): deploying/.exec(lines[lines.length - 1])![1] : undefined;
      if (!current) return undefined;
      // Its stack is locked by the running update, and its tenant already exists on the platform.
      const locked = await sql<{ key: string }>("select key from pulumi_state where key like $1", [`%.pulumi/locks/%/${project}/${current}/%`]).catch(() => []);
      return locked.length === 1 && (await tenants()).some((t) => t.fqdn === `${current}.${domain}`) ? current : undefined;
    });
    expect(killTree(victim.child.pid!)).toBeGreaterThan(1);
    await victim.exited;

    const report = await provisioning;
    expect(report.ok).toBe(true);
    expect(report.customers.map((c) => c.id)).toEqual(ids);
    for (const c of report.customers) expect(["created", "updated"]).toContain(c.state);

    // The killed job ran again elsewhere: it has a retry, and another worker finished it.
    const jobs = await sql<{ id: string; state: string; retry_count: number; key: string }>("select id, state, retry_count, singleton_key as key from pgboss.job where name = $1", [queueName]);
    expect(jobs).toHaveLength(10);
    expect(jobs.every((j) => j.state === "completed")).toBe(true);
    expect(jobs.find((j) => j.key === `${project}/${victimCustomer}`)!.retry_count).toBeGreaterThanOrEqual(1);
    expect(workers.slice(1).some((w) => w.lines.some((l) => l.includes(`${victimCustomer}: created`) || l.includes(`${victimCustomer}: updated`)))).toBe(true);

    // The platform holds each customer once, with what the catalogue declares: nothing duplicated or orphaned.
    const made = await tenants();
    expect(made.map((t) => t.fqdn).sort()).toEqual(ids.map((id) => `${id}.${domain}`));
    for (const t of made) {
      expect((await list(t.tenantId, "agents")).map((a) => a.account)).toEqual(["ann"]);
      expect((await list(t.tenantId, "queues")).map((q) => q.name).sort()).toEqual(["Default", "Support"]);
      expect((await list(t.tenantId, "extensions")).map((e) => e.number)).toEqual(["101"]);
    }

    // Every stack's state is in PostgreSQL, with its tenant, and no lock is left.
    const states = await sql<{ key: string; data: { checkpoint?: { latest?: { resources?: Array<{ type: string }> } } } }>("select key, data from pulumi_state where key like $1", [`%.pulumi/stacks/${project}/%.json`]);
    expect(states.map((s) => path.basename(s.key, ".json")).sort()).toEqual(ids);
    expect(await sql("select key from pulumi_state where key like '%.pulumi/locks/%'")).toEqual([]);
    expect(fs.existsSync(path.join(dir, "provision", "state"))).toBe(false);
  }, 900_000);

  it("a re-run changes nothing, and --dry-run and --enqueue-only go through the queue too", async () => {
    const before = await stats();
    const again = await run({ force: true });
    expect(again.customers.map((c) => c.state)).toEqual(Array(10).fill("unchanged"));
    const writes = (s: Awaited<ReturnType<typeof stats>>) => s.requests.byMethod.POST + s.requests.byMethod.PATCH + s.requests.byMethod.DELETE;
    expect(writes(await stats())).toBe(writes(before));

    customers[0].agents[0].alias = "Annie";
    const preview = await run({ dryRun: true });
    expect(preview.customers.find((c) => c.id === "cust-01")!.state).toBe("updated");
    expect(preview.customers.filter((c) => c.id !== "cust-01").every((c) => c.state === "unchanged")).toBe(true);
    expect(writes(await stats())).toBe(writes(before));

    const queued = await run({ runTasks: queueRunner({ queueUrl, enqueueOnly: true }) });
    expect(queued.customers.every((c) => c.state === "skipped" && c.note?.startsWith("queued as job"))).toBe(true);
    const jobIds = queued.customers.map((c) => /job (\S+);/.exec(c.note!)![1]);
    const done = await until("the queued jobs to finish", async () => {
      const rows = await sql<{ state: string; output: { id: string; state: string } }>("select state, output from pgboss.job where id = any($1::uuid[])", [jobIds]);
      return rows.length === 10 && rows.every((r) => r.state === "completed") ? rows : undefined;
    });
    expect(done.filter((r) => r.output.state === "updated").map((r) => r.output.id)).toEqual(["cust-01"]);
    const [t1] = (await tenants()).filter((t) => t.fqdn === `cust-01.${domain}`);
    expect((await list(t1.tenantId, "agents"))[0].alias).toBe("Annie");
  }, 900_000);

  it("offboards a customer that left the catalogue, through a worker", async () => {
    customers.pop();
    const report = await run({ offboard: true });
    expect(report.customers.find((c) => c.id === "cust-10")!.state).toBe("offboarded");
    expect((await tenants()).map((t) => t.fqdn)).not.toContain(`cust-10.${domain}`);
    const states = await sql<{ key: string }>("select key from pulumi_state where key like $1", [`%.pulumi/stacks/${project}/%.json`]);
    expect(states.map((s) => path.basename(s.key, ".json")).sort()).toEqual(ids.slice(0, 9));
  }, 900_000);
});
