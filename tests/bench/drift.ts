/**
 * Benchmark of the fleet drift check (not a test): N customers of 7 resources (one of each kind),
 * provisioned through the real engine, a tenth of them drifted by hand; then, on the same stacks
 * and platform, in this order:
 *
 *  - bare lists: the list requests the check needs (the tenant list, then every kind of every
 *    customer's tenant, every page), sent by a bare undici client at the same concurrency — the floor;
 *  - drift: `omnitenant drift` as a library call (state read + the same lists + comparison);
 *  - refresh: `pulumi refresh --preview-only` of each stack (Automation API previewRefresh), at
 *    provision's default concurrency (4) — what answering the question took before.
 *
 * Targets: drift within 1.5× the bare lists; refreshes at least 20× slower than drift. Bare lists
 * and drift are run 3 times each, alternating, and the median is kept. Prints the figures and the
 * ratios, writes results/bench-drift.json.
 *
 *   npm run bench -- --drift [--drift-args --customers 50 --concurrency 8 --refresh-sample 50]
 *   (or: npm run build && node dist/tests/bench/drift.js --customers 50)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { Agent, request } from "undici";
import { parseCatalogue, type Catalogue } from "../../automation/catalogue";
import { drift, type DriftReport } from "../../automation/drift";
import { childKinds } from "../../automation/drift-platform";
import { openStack } from "../../automation/engine";
import { provision } from "../../automation/provision";
import { adminCall, startBenchPlatform, type BenchPlatform } from "./support";

const repoRoot = path.resolve(__dirname, "..", "..", "..");

export interface DriftBenchResult {
  benchmark: "drift";
  date: string;
  cpus: number;
  customers: number;
  drifted: number;
  concurrency: number;
  provisionMs: number;
  bareListsMs: number[];
  driftMs: number[];
  /** Requests the bare lists sent (the drift check sends the same). */
  listRequests: number;
  refresh: { stacks: number; concurrency: number; wallMs: number; extrapolatedMs: number };
  perCustomer: { bareListsMs: number; driftMs: number; refreshMs: number };
  ratios: { driftOverBareLists: number; refreshOverDrift: number };
  targets: { driftOverBareListsMax: number; refreshOverDriftMin: number; met: { lists: boolean; refresh: boolean } };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function benchCustomer(id: string): Record<string, unknown> {
  return {
    id,
    plan: "small",
    tenant: { companyName: `Drift bench ${id}` },
    queues: [{ name: "Support", channel: "chat" }],
    agents: [{ account: "ann", firstName: "Ann", alias: "Ann", email: `ann@${id}.example.com` }],
    extensions: [{ number: "101", name: "Front" }],
    userGroups: [{ name: "Desk" }],
    numbers: [{ number: "+14155550100" }],
    credentials: [{ name: "CRM", kind: "hubspot", secrets: { apiKey: `key-${id}` } }],
  };
}

function catalogue(n: number, tag: string): Catalogue {
  return parseCatalogue({
    reseller: {
      name: "Drift Bench Reseller",
      domain: `${tag}.pbx.example.com`,
      defaults: { country: "US", timeZone: "UTC", language: "en-US", organizationSize: "1-10", adminEmailDomain: "ops.example.com" },
      plans: { small: { maxAgents: 5, diskQuotaGb: 5, maxWidgets: 1, maxChannelAccounts: 2, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 5 } },
    },
    customers: Array.from({ length: n }, (_, i) => benchCustomer(`drift-${String(i + 1).padStart(3, "0")}`)),
  });
}

/** The floor: the same list requests, bare. Returns how many it sent. */
async function bareLists(p: BenchPlatform, tenantIds: string[], concurrency: number, dispatcher: Agent): Promise<number> {
  let sent = 0;
  const all = async (listPath: string) => {
    let cursor: string | undefined;
    do {
      const res = await request(`${p.url}${listPath}?limit=500${cursor ? `&cursor=${cursor}` : ""}`, { headers: { authorization: `Bearer ${p.operatorToken}` }, dispatcher });
      const body = (await res.body.json()) as { nextCursor?: string | null };
      sent++;
      cursor = body.nextCursor ?? undefined;
    } while (cursor);
  };
  await all("/v1/tenants");
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tenantIds.length) {
        const id = tenantIds[next++];
        await Promise.all(childKinds.map((k) => all(`/v1/tenants/${id}/${k.path}`)));
      }
    }),
  );
  return sent;
}

async function refreshAll(p: BenchPlatform, ids: string[], workDir: string, concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const stack = await openStack({
          projectName: "omnitenant-reseller",
          stackName: id,
          program: async () => undefined,
          workDir: path.join(workDir, "stacks", id),
          backendUrl: `file://${path.join(workDir, "state")}`,
          env: { OMNITENANT_ENDPOINT: p.url, OMNITENANT_TOKEN: p.operatorToken },
        });
        await stack.previewRefresh({ color: "never" });
      }
    }),
  );
  return performance.now() - started;
}

export async function runDriftBench(o: { customers?: number; concurrency?: number; refreshSample?: number; log?: (s: string) => void } = {}): Promise<DriftBenchResult> {
  const n = o.customers ?? 50;
  const concurrency = o.concurrency ?? 8;
  const sample = Math.min(n, o.refreshSample ?? n);
  const log = o.log ?? ((s: string) => console.log(s));
  const tag = `drift-${randomBytes(3).toString("hex")}`;
  const workDir = path.join(repoRoot, ".omnitenant", "bench", tag);
  const cat = catalogue(n, tag);
  const platform = await startBenchPlatform();
  try {
    log(`drift bench: provisioning ${n} customers of 7 resources (policy packs off)…`);
    const t0 = performance.now();
    const provisioned = await provision(cat, { endpoint: platform.url, token: platform.operatorToken, workDir, backendUrl: `file://${path.join(workDir, "state")}`, concurrency: 4, policyPacks: false });
    const provisionMs = performance.now() - t0;
    const failed = provisioned.customers.filter((c) => c.state === "failed");
    if (failed.length) throw new Error(`${failed.length} customers failed to provision: ${failed[0].error}`);
    log(`  provisioned in ${(provisionMs / 1000).toFixed(1)} s`);

    // A tenth of the customers drift: an agent renamed by hand, a queue deleted by hand.
    const tenantIds = provisioned.customers.map((c) => c.outputs!.tenantId!);
    const driftedIds = tenantIds.filter((_, i) => i % 10 === 0);
    for (const t of driftedIds) {
      const agents = (await adminCall(platform, "GET", `/v1/tenants/${t}/agents`)).items as Array<{ agentId: string }>;
      await adminCall(platform, "PATCH", `/v1/tenants/${t}/agents/${agents[0].agentId}`, { alias: "Renamed by hand" });
      const queues = (await adminCall(platform, "GET", `/v1/tenants/${t}/queues?name=Support`)).items as Array<{ queueId: string }>;
      await adminCall(platform, "DELETE", `/v1/tenants/${t}/queues/${queues[0].queueId}`);
    }

    const dispatcher = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
    const bareListsMs: number[] = [];
    const driftMs: number[] = [];
    let listRequests = 0;
    let report: DriftReport | undefined;
    for (let round = 0; round < 3; round++) {
      let t = performance.now();
      listRequests = await bareLists(platform, tenantIds, concurrency, dispatcher);
      bareListsMs.push(performance.now() - t);
      t = performance.now();
      report = await drift(cat, { endpoint: platform.url, token: platform.operatorToken, workDir, backendUrl: `file://${path.join(workDir, "state")}`, concurrency });
      driftMs.push(performance.now() - t);
      log(`  round ${round + 1}: bare lists ${bareListsMs[round].toFixed(0)} ms, drift ${driftMs[round].toFixed(0)} ms`);
    }
    await dispatcher.close();
    if (report!.counts.drifted !== driftedIds.length || report!.errors) {
      throw new Error(`drift found ${report!.counts.drifted} drifted customers (${report!.counts.error} errors); ${driftedIds.length} were drifted by hand`);
    }

    log(`  refresh previews of ${sample} of ${n} stacks at concurrency 4…`);
    const ids = cat.entries.map((e) => e.id!).slice(0, sample);
    const refreshWall = await refreshAll(platform, ids, workDir, 4);
    const refreshMs = (refreshWall * n) / sample;

    const lists = median(bareListsMs);
    const d = median(driftMs);
    const result: DriftBenchResult = {
      benchmark: "drift",
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      customers: n,
      drifted: driftedIds.length,
      concurrency,
      provisionMs: Math.round(provisionMs),
      bareListsMs: bareListsMs.map(Math.round),
      driftMs: driftMs.map(Math.round),
      listRequests,
      refresh: { stacks: sample, concurrency: 4, wallMs: Math.round(refreshWall), extrapolatedMs: Math.round(refreshMs) },
      perCustomer: { bareListsMs: Number((lists / n).toFixed(2)), driftMs: Number((d / n).toFixed(2)), refreshMs: Number((refreshMs / n).toFixed(1)) },
      ratios: { driftOverBareLists: Number((d / lists).toFixed(2)), refreshOverDrift: Number((refreshMs / d).toFixed(1)) },
      targets: { driftOverBareListsMax: 1.5, refreshOverDriftMin: 20, met: { lists: d / lists <= 1.5, refresh: refreshMs / d >= 20 } },
    };
    log("");
    log(`customers: ${n} (${driftedIds.length} drifted), concurrency ${concurrency}, ${listRequests} list requests per check`);
    log(`bare list requests: ${lists.toFixed(0)} ms (${result.perCustomer.bareListsMs} ms per customer)`);
    log(`drift check:        ${d.toFixed(0)} ms (${result.perCustomer.driftMs} ms per customer)`);
    log(`refresh previews:   ${(refreshMs / 1000).toFixed(1)} s${sample < n ? ` (measured ${sample} stacks in ${(refreshWall / 1000).toFixed(1)} s, scaled to ${n})` : ""} (${result.perCustomer.refreshMs} ms per customer)`);
    log(`${result.targets.met.lists ? "✓" : "✗"} drift / bare lists = ${result.ratios.driftOverBareLists}× (target ≤ 1.5×)`);
    log(`${result.targets.met.refresh ? "✓" : "✗"} refresh / drift = ${result.ratios.refreshOverDrift}× (target ≥ 20×)`);
    const file = path.join(repoRoot, "results", "bench-drift.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    log(`written to ${path.relative(process.cwd(), file)}`);
    return result;
  } finally {
    await platform.stop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  runDriftBench({ customers: arg("--customers"), concurrency: arg("--concurrency"), refreshSample: arg("--refresh-sample") }).then(
    () => process.exit(0),
    (err: Error) => {
      console.error(`drift bench failed: ${err.message}`);
      process.exit(1);
    },
  );
}
