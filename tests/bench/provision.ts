/**
 * Benchmark of reseller provisioning (not a test): N customers of about 20 resources each, created
 * from a catalogue at several concurrencies, each level on a fresh platform and a fresh backend.
 * Prints wall time, customers per minute and the speed-up over concurrency 1; writes
 * results/provision-bench.json.
 *
 *   npm run build && node dist/tests/bench/provision.js [--customers 50] [--levels 1,4,8] [--rerun] [--no-policy-packs]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { parseCatalogue } from "../../automation/catalogue";
import { provision } from "../../automation/provision";
import { resourceCount } from "../../automation/program";
import { startBenchPlatform } from "./support";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

export interface ProvisionBenchOptions {
  customers?: number;
  levels?: number[];
  /** Also time a second, no-change run at each level. */
  rerun?: boolean;
  policyPacks?: boolean;
  /** Where the JSON goes; default results/provision-bench.json under the repository. */
  out?: string;
  log?: (line: string) => void;
}

export interface ProvisionBenchLevel {
  concurrency: number;
  customers: number;
  resources: number;
  wallMs: number;
  customersPerMinute: number;
  /** Wall time at concurrency 1 (or the lowest level measured) over this one. */
  speedup: number;
  failed: number;
  rerunWallMs?: number;
}

export interface ProvisionBenchResult {
  benchmark: "provision";
  date: string;
  cpus: number;
  policyPacks: boolean;
  levels: ProvisionBenchLevel[];
}

/** One customer of 20 resources: tenant, 2 queues, 5 agents, 6 extensions, a group, 2 numbers, 3 credentials. */
function benchCustomer(id: string): Record<string, unknown> {
  const accounts = ["ann", "bob", "cid", "dee", "eve"];
  return {
    id,
    plan: "business",
    tenant: { companyName: `Bench ${id}` },
    queues: [{ name: "Sales", channel: "chat" }, { name: "Support", channel: "voice" }],
    agents: accounts.map((account, i) => ({ account, firstName: account, alias: account, email: `${account}@${id}.example.com`, queues: [i % 2 ? "Support" : "Sales"] })),
    extensions: [
      ...accounts.map((account, i) => ({
        number: String(101 + i),
        name: account,
        agent: account,
        voicemail: true,
        forwarding: { onBusy: { destinations: [{ target: String(101 + ((i + 1) % 5)) }] } },
      })),
      { number: "100", name: "Reception", keys: [{ position: 1, action: "blf", target: "101" }] },
    ],
    userGroups: [{ name: "Front desk", members: ["100", "101", "102"], queue: "Support" }],
    numbers: [
      { number: "+14155550100", destination: { type: "extension", target: "100" } },
      { number: "+14155550101", destination: { type: "voicemail", target: "101" } },
    ],
    credentials: [
      { name: "Chat webhook", kind: "webhook", settings: { url: `https://hooks.${id}.example.com/omni`, events: ["chat.closed"] } },
      { name: "CRM", kind: "hubspot", agents: ["ann"] },
      { name: "Assistant", kind: "modelProvider", settings: { provider: "local", model: "small" } },
    ],
  };
}

function catalogue(n: number, tag: string) {
  return parseCatalogue({
    reseller: {
      name: "Bench Reseller",
      domain: `${tag}.pbx.example.com`,
      defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "11-50", adminEmailDomain: "ops.example.com" },
      plans: { business: { maxAgents: 10, diskQuotaGb: 50, maxWidgets: 2, maxChannelAccounts: 3, maxWorkflows: 5, maxCannedMessages: 100, maxExtensions: 10 } },
    },
    customers: Array.from({ length: n }, (_, i) => benchCustomer(`bench-${String(i + 1).padStart(3, "0")}`)),
  });
}

export async function runProvisionBench(options: ProvisionBenchOptions = {}): Promise<ProvisionBenchResult> {
  const n = options.customers ?? 50;
  const levels = options.levels ?? [1, 4, 8];
  const log = options.log ?? ((line: string) => console.log(line));
  const out: ProvisionBenchLevel[] = [];
  for (const concurrency of levels) {
    const tag = `c${concurrency}-${randomBytes(3).toString("hex")}`;
    const cat = catalogue(n, tag);
    const workDir = path.join(repoRoot, ".omnitenant", "bench", `provision-${tag}`);
    const platform = await startBenchPlatform();
    try {
      log(`provision bench: ${n} customers at concurrency ${concurrency}…`);
      const run = () =>
        provision(cat, { endpoint: platform.url, token: platform.operatorToken, workDir, concurrency, policyPacks: options.policyPacks === false ? false : undefined });
      const first = await run();
      const failed = first.customers.filter((c) => c.state === "failed");
      for (const f of failed.slice(0, 3)) log(`  ${f.id} failed: ${f.error}`);
      const rerun = options.rerun ? await run() : undefined;
      out.push({
        concurrency,
        customers: n,
        resources: cat.entries.reduce((sum, e) => sum + (e.customer ? resourceCount(e.customer) : 0), 0),
        wallMs: first.durationMs,
        customersPerMinute: Number(((n * 60_000) / first.durationMs).toFixed(2)),
        speedup: 0,
        failed: failed.length,
        ...(rerun ? { rerunWallMs: rerun.durationMs } : {}),
      });
    } finally {
      await platform.stop();
      fs.rmSync(workDir, { recursive: true, force: true });
    }
  }
  const base = out[0]?.wallMs ?? 1;
  for (const l of out) l.speedup = Number((base / l.wallMs).toFixed(2));

  const result: ProvisionBenchResult = {
    benchmark: "provision",
    date: new Date().toISOString(),
    cpus: require("node:os").cpus().length,
    policyPacks: options.policyPacks !== false,
    levels: out,
  };
  log("");
  log(`concurrency  customers  resources  wall time  customers/min  speed-up${options.rerun ? "  no-op re-run" : ""}  failed`);
  for (const l of out) {
    log(
      `${String(l.concurrency).padStart(11)}  ${String(l.customers).padStart(9)}  ${String(l.resources).padStart(9)}  ${`${(l.wallMs / 1000).toFixed(1)}s`.padStart(9)}  ` +
        `${l.customersPerMinute.toFixed(1).padStart(13)}  ${`${l.speedup.toFixed(2)}x`.padStart(8)}` +
        `${options.rerun ? `${`${((l.rerunWallMs ?? 0) / 1000).toFixed(1)}s`.padStart(14)}` : ""}  ${String(l.failed).padStart(6)}`,
    );
  }
  const file = options.out ?? path.join(repoRoot, "results", "provision-bench.json");
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
  runProvisionBench({
    customers: arg("--customers") ? Number(arg("--customers")) : undefined,
    levels: arg("--levels")?.split(",").map(Number),
    rerun: process.argv.includes("--rerun"),
    policyPacks: !process.argv.includes("--no-policy-packs"),
    out: arg("--out"),
  }).then(
    (r) => process.exit(r.levels.some((l) => l.failed > 0) ? 1 : 0),
    (err: Error) => {
      console.error(`provision bench failed: ${err.message}`);
      process.exit(1);
    },
  );
}
