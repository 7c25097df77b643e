/**
 * Fleet benchmark (not a test), `npm run bench -- --fleet [--fleet-args …]`:
 *
 *  1. engine: one customer's stack side by side, per run wall time and CPU seconds (this process,
 *     where the inline program runs, plus every process it started and reaped: the CLI, the
 *     provider host, the policy analyzers): omnitenant fresh (packs decide in one preview, the up
 *     runs the saved plan) and forced no-change (one preview with the packs), against a bare
 *     `pulumi preview` and `pulumi up` of the same shape through a no-op dynamic provider, no packs.
 *     Targets: no-change ≤ 1.2× bare no-change preview; fresh ≤ 1.3× (bare preview + bare up).
 *  2. fleet: N customers through 1, 2 and 4 `omnitenant worker` processes on a private PostgreSQL
 *     (queue and state), fresh and forced no-change: throughput and worker CPU seconds per customer.
 *
 *   node dist/tests/bench/fleet.js [--customers 50] [--workers 1,2,4] [--repeat 3] [--skip-engine] [--skip-fleet]
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { parseCatalogue, type Catalogue, type Customer } from "../../automation/catalogue";
import { openStack } from "../../automation/engine";
import { queueRunner } from "../../automation/fleet";
import { installedPacks, writePackConfigs } from "../../automation/policy-config";
import { provision } from "../../automation/provision";
import { deployCustomer, type StackRunOptions } from "../../automation/provision-stack";
import { resourceCount } from "../../automation/program";
import { noopFactory, type Kind } from "./programs/fleet";
import { benchCustomer } from "./provision";
import { descendants, startBenchPlatform, type BenchPlatform } from "./support";
import { startTestPostgres } from "../support/postgres";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const ticks = 100; // USER_HZ on Linux

/** utime+stime (+ reaped children's) of a process, in seconds. */
function cpuOf(pid: number | "self", withChildren = true): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields after the name: state=0 … utime=11 stime=12 cutime=13 cstime=14
    return (Number(f[11]) + Number(f[12]) + (withChildren ? Number(f[13]) + Number(f[14]) : 0)) / ticks;
  } catch {
    return 0;
  }
}

/** CPU seconds of a process tree: itself with what it reaped, plus its live descendants. */
const treeCpu = (pid: number) => cpuOf(pid) + descendants(pid).reduce((s, p) => s + cpuOf(p), 0);

/** CPU of this process and everything it started (reaped, or still running). */
const selfCpu = () => cpuOf("self") + descendants(process.pid).reduce((s, p) => s + cpuOf(p), 0);

function catalogue(n: number, tag: string): Catalogue {
  return parseCatalogue({
    reseller: {
      name: "Fleet Bench",
      domain: `${tag}.pbx.example.com`,
      defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "11-50", adminEmailDomain: "ops.example.com" },
      plans: { business: { maxAgents: 10, diskQuotaGb: 50, maxWidgets: 2, maxChannelAccounts: 3, maxWorkflows: 5, maxCannedMessages: 100, maxExtensions: 10 } },
    },
    customers: Array.from({ length: n }, (_, i) => benchCustomer(`fb-${String(i + 1).padStart(3, "0")}`)),
  });
}

/** The same stack shape as a customer's program, through a dynamic provider that does nothing. */
function noopProgram(c: Customer): PulumiFn {
  return async () => {
    const tenantId = noopFactory("Tenant", c.id, { companyName: c.tenant.companyName }).id;
    const kids: Array<[Kind, string, object]> = [
      ...c.queues.map((q) => ["Queue", `queue-${q.name}`, q] as [Kind, string, object]),
      ...c.agents.map((a) => ["Agent", `agent-${a.account}`, a] as [Kind, string, object]),
      ...c.extensions.map((e) => ["Extension", `extension-${e.number}`, e] as [Kind, string, object]),
      ...c.userGroups.map((g) => ["UserGroup", `group-${g.name}`, g] as [Kind, string, object]),
      ...c.numbers.map((n) => ["IncomingNumber", `number-${n.number}`, n] as [Kind, string, object]),
      ...c.credentials.map((k) => ["IntegrationCredential", `credential-${k.name}`, k] as [Kind, string, object]),
    ];
    for (const [kind, name, args] of kids) noopFactory(kind, name, { ...JSON.parse(JSON.stringify(args)), tenantId });
  };
}

interface Sample {
  wallMs: number;
  cpuSeconds: number;
}

async function measure(run: () => Promise<unknown>): Promise<Sample> {
  const cpu0 = selfCpu();
  const t = performance.now();
  await run();
  return { wallMs: Math.round(performance.now() - t), cpuSeconds: Number((selfCpu() - cpu0).toFixed(2)) };
}

const median = (xs: Sample[]): Sample => {
  const by = (k: keyof Sample) => [...xs].sort((a, b) => a[k] - b[k])[Math.floor(xs.length / 2)][k];
  return { wallMs: by("wallMs"), cpuSeconds: by("cpuSeconds") };
};

export interface EngineComparison {
  resources: number;
  repeat: number;
  omnitenantFresh: Sample;
  omnitenantNoChange: Sample;
  bareFreshPreview: Sample;
  bareFreshUp: Sample;
  bareNoChangePreview: Sample;
  /** omnitenant no-change / bare no-change preview (target ≤ 1.2), by wall time and by CPU. */
  noChangeRatio: { wall: number; cpu: number };
  /** omnitenant fresh / (bare preview + bare up) (target ≤ 1.3). */
  freshRatio: { wall: number; cpu: number };
}

async function engineComparison(platform: BenchPlatform, repeat: number, log: (l: string) => void): Promise<EngineComparison> {
  const base = path.join(repoRoot, ".omnitenant", "bench", `fleet-engine-${randomBytes(3).toString("hex")}`);
  const cat = catalogue(1, `e${randomBytes(3).toString("hex")}`);
  const packs = installedPacks();
  const packConfigs = writePackConfigs(packs, path.join(base, "policy-config"), cat.reseller);
  const samples: Record<string, Sample[]> = { fresh: [], noChange: [], bareP: [], bareU: [], bareN: [] };
  try {
    for (let i = 0; i < repeat; i++) {
      // A new customer per round (fresh id on the platform), the same shape.
      const customer = { ...cat.entries[0].customer!, id: `eng-${i}-${randomBytes(2).toString("hex")}` };
      const o: StackRunOptions = {
        projectName: "fleet-bench",
        workDir: path.join(base, "stacks", customer.id),
        backendUrl: `file://${path.join(base, "state")}`,
        endpoint: platform.url,
        token: platform.operatorToken,
        packDirs: packs.map((p) => p.dir),
        packConfigs,
        dryRun: false,
        force: true,
        onProgress: () => undefined,
      };
      fs.mkdirSync(path.join(base, "state"), { recursive: true });
      const check = (r: { state: string; error?: string }) => {
        if (r.state === "failed") throw new Error(`${customer.id} failed: ${r.error}`);
      };
      samples.fresh.push(await measure(async () => check(await deployCustomer(customer, o))));
      samples.noChange.push(await measure(async () => check(await deployCustomer(customer, o))));

      const bare = await openStack({ projectName: "fleet-bench-bare", stackName: customer.id, program: noopProgram(customer), workDir: path.join(base, "bare", customer.id), backendUrl: `file://${path.join(base, "state")}` });
      samples.bareP.push(await measure(() => bare.preview({ color: "never" })));
      samples.bareU.push(await measure(() => bare.up({ color: "never" })));
      samples.bareN.push(await measure(() => bare.preview({ color: "never" })));
      log(`  round ${i + 1}: fresh ${samples.fresh[i].wallMs} ms, no-change ${samples.noChange[i].wallMs} ms; bare preview ${samples.bareP[i].wallMs} ms, up ${samples.bareU[i].wallMs} ms, no-change preview ${samples.bareN[i].wallMs} ms`);
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  const m = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<string, Sample>;
  const r = (a: number, b: number) => Number((a / b).toFixed(2));
  return {
    resources: resourceCount(cat.entries[0].customer!),
    repeat,
    omnitenantFresh: m.fresh,
    omnitenantNoChange: m.noChange,
    bareFreshPreview: m.bareP,
    bareFreshUp: m.bareU,
    bareNoChangePreview: m.bareN,
    noChangeRatio: { wall: r(m.noChange.wallMs, m.bareN.wallMs), cpu: r(m.noChange.cpuSeconds, m.bareN.cpuSeconds) },
    freshRatio: { wall: r(m.fresh.wallMs, m.bareP.wallMs + m.bareU.wallMs), cpu: r(m.fresh.cpuSeconds, m.bareP.cpuSeconds + m.bareU.cpuSeconds) },
  };
}

export interface FleetLevel {
  workers: number;
  customers: number;
  fresh: { wallMs: number; customersPerMinute: number; workerCpuSecondsPerCustomer: number; failed: number };
  noChange: { wallMs: number; customersPerMinute: number; workerCpuSecondsPerCustomer: number; failed: number };
}

interface WorkerProc {
  child: ChildProcess;
  ready: Promise<void>;
  exited: Promise<unknown>;
}

function startWorkerProc(queueUrl: string, backendUrl: string, platform: BenchPlatform, workDir: string): WorkerProc {
  const child = spawn(process.execPath, [path.join(repoRoot, "bin", "omnitenant.js"), "worker", "--queue", queueUrl, "--backend", backendUrl, "--work-dir", workDir], {
    cwd: repoRoot,
    env: { ...process.env, OMNITENANT_ENDPOINT: platform.url, OMNITENANT_TOKEN: platform.operatorToken },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = new Promise<void>((resolve) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("at a time")) resolve();
    });
  });
  return { child, ready, exited: new Promise((r) => child.once("exit", r)) };
}

async function fleetLevel(workers: number, n: number, log: (l: string) => void): Promise<FleetLevel> {
  const tag = `w${workers}-${randomBytes(3).toString("hex")}`;
  const pg = await startTestPostgres();
  const platform = await startBenchPlatform();
  const base = path.join(repoRoot, ".omnitenant", "bench", `fleet-${tag}`);
  const procs: WorkerProc[] = [];
  try {
    const cat = catalogue(n, tag);
    const run = async (force: boolean) => {
      const t = performance.now();
      const cpu0 = procs.reduce((s, p) => s + treeCpu(p.child.pid!), 0);
      const report = await provision(cat, {
        endpoint: platform.url,
        token: platform.operatorToken,
        workDir: path.join(base, "provision"),
        backendUrl: pg.url,
        force,
        runTasks: queueRunner({ queueUrl: pg.url, pollMs: 250 }),
      });
      const wallMs = Math.round(performance.now() - t);
      const cpu = procs.reduce((s, p) => s + treeCpu(p.child.pid!), 0) - cpu0;
      const failed = report.customers.filter((c) => c.state === "failed");
      for (const f of failed.slice(0, 3)) log(`  ${f.id} failed: ${f.error}`);
      return { wallMs, customersPerMinute: Number(((n * 60_000) / wallMs).toFixed(2)), workerCpuSecondsPerCustomer: Number((cpu / n).toFixed(2)), failed: failed.length };
    };
    // The queue's schema first (provision installs it), then the workers.
    await provision(parseCatalogue({ reseller: cat.reseller, customers: [] }), { endpoint: platform.url, token: platform.operatorToken, workDir: path.join(base, "provision"), backendUrl: pg.url, runTasks: queueRunner({ queueUrl: pg.url }) });
    for (let i = 0; i < workers; i++) procs.push(startWorkerProc(pg.url, pg.url, platform, path.join(base, `worker-${i}`)));
    await Promise.all(procs.map((p) => p.ready));
    log(`fleet bench: ${n} customers through ${workers} worker process(es)…`);
    const fresh = await run(false);
    log(`  fresh: ${(fresh.wallMs / 1000).toFixed(1)} s, ${fresh.customersPerMinute} customers/min, ${fresh.workerCpuSecondsPerCustomer} CPU s/customer`);
    const noChange = await run(true);
    log(`  no-change (forced): ${(noChange.wallMs / 1000).toFixed(1)} s, ${noChange.customersPerMinute} customers/min, ${noChange.workerCpuSecondsPerCustomer} CPU s/customer`);
    return { workers, customers: n, fresh, noChange };
  } finally {
    for (const p of procs) p.child.kill("SIGTERM");
    await Promise.all(procs.map((p) => p.exited));
    await platform.stop();
    await pg.dispose();
    fs.rmSync(base, { recursive: true, force: true });
  }
}

export async function runFleetBench(opts: { customers: number; workers: number[]; repeat: number; engine: boolean; fleet: boolean; out?: string; log?: (l: string) => void }) {
  const log = opts.log ?? ((l: string) => console.log(l));
  const result: Record<string, unknown> = { benchmark: "fleet", date: new Date().toISOString(), cpus: os.cpus().length };
  if (opts.engine) {
    log(`engine comparison: one customer, ${opts.repeat} rounds (medians)…`);
    const platform = await startBenchPlatform();
    try {
      const e = await engineComparison(platform, opts.repeat, log);
      result.engine = e;
      const s = (x: Sample) => `${(x.wallMs / 1000).toFixed(2)} s wall, ${x.cpuSeconds.toFixed(2)} CPU s`;
      log(`\n${e.resources} resources per customer:`);
      log(`  omnitenant fresh (preview with packs + planned up): ${s(e.omnitenantFresh)}`);
      log(`  omnitenant no-change (one preview with packs):      ${s(e.omnitenantNoChange)}`);
      log(`  bare preview (fresh, no-op provider, no packs):     ${s(e.bareFreshPreview)}`);
      log(`  bare up (fresh):                                    ${s(e.bareFreshUp)}`);
      log(`  bare preview (no change):                           ${s(e.bareNoChangePreview)}`);
      log(`  ${e.noChangeRatio.wall <= 1.2 ? "✓" : "✗"} no-change / bare preview: ${e.noChangeRatio.wall}× wall, ${e.noChangeRatio.cpu}× CPU (target ≤ 1.2×)`);
      log(`  ${e.freshRatio.wall <= 1.3 ? "✓" : "✗"} fresh / (bare preview + bare up): ${e.freshRatio.wall}× wall, ${e.freshRatio.cpu}× CPU (target ≤ 1.3×)`);
    } finally {
      await platform.stop();
    }
  }
  if (opts.fleet) {
    const levels: FleetLevel[] = [];
    for (const w of opts.workers) levels.push(await fleetLevel(w, opts.customers, log));
    result.fleet = levels;
    log("\nworkers  customers  fresh s  fresh/min  CPU s/cust  no-change s  no-change/min  CPU s/cust  failed");
    for (const l of levels) {
      log(
        `${String(l.workers).padStart(7)}  ${String(l.customers).padStart(9)}  ${(l.fresh.wallMs / 1000).toFixed(1).padStart(7)}  ${l.fresh.customersPerMinute.toFixed(1).padStart(9)}  ${l.fresh.workerCpuSecondsPerCustomer.toFixed(2).padStart(10)}  ` +
          `${(l.noChange.wallMs / 1000).toFixed(1).padStart(11)}  ${l.noChange.customersPerMinute.toFixed(1).padStart(13)}  ${l.noChange.workerCpuSecondsPerCustomer.toFixed(2).padStart(10)}  ${String(l.fresh.failed + l.noChange.failed).padStart(6)}`,
      );
    }
  }
  const file = opts.out ?? path.join(repoRoot, "results", "fleet-bench.json");
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  log(`written to ${path.relative(process.cwd(), file)}`);
  return result;
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  runFleetBench({
    customers: Number(arg("--customers") ?? 50),
    workers: (arg("--workers") ?? "1,2,4").split(",").map(Number),
    repeat: Number(arg("--repeat") ?? 3),
    engine: !process.argv.includes("--skip-engine"),
    fleet: !process.argv.includes("--skip-fleet"),
    out: arg("--out"),
  }).then(
    (r) => process.exit((r.fleet as FleetLevel[] | undefined)?.some((l) => l.fresh.failed + l.noChange.failed > 0) ? 1 : 0),
    (err: Error) => {
      console.error(`fleet bench failed: ${err.stack ?? err.message}`);
      process.exit(1);
    },
  );
}
