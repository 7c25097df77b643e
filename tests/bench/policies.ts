/**
 * Benchmark: both policy packs over a synthetic 10,000-resource stack, evaluated through the
 * analyzer-faithful harness (tests/policies/harness.ts) as a preview of brand-new tenants (every
 * tenantId unknown, grouped by dependency). Prints the time spent inside the policies — the target
 * is under 1 s for both packs — and writes results/policies-bench.json.
 *
 *   npm run build && node dist/tests/bench/policies.js
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { leastPrivilegePolicies } from "../../policies/least-privilege/policies";
import { quotaPolicies } from "../../policies/quotas/policies";
import { agent, credential, extension, inDays, NOW, tenant } from "../policies/fixtures";
import { evaluate, type PackConfig, type ResourceSpec } from "../policies/harness";

const TENANTS = 100;
const PER_TENANT = { agents: 45, extensions: 35, credentials: 19 }; // + the tenant: 100 resources each
const TARGET_MS = 1000;
const RUNS = 3;

function syntheticStack(): ResourceSpec[] {
  const kinds = ["salesforce", "netsapiens", "apiToken", "oauth2Client", "webhook", "modelProvider", "iris"];
  const out: ResourceSpec[] = [];
  for (let t = 0; t < TENANTS; t++) {
    // Every tenth tenant is over its agent quota and breaks a few least-privilege rules, so the
    // policies' reporting paths are measured too.
    const faulty = t % 10 === 0;
    const ten = tenant(`t${t}`, {
      capabilities: { maxAgents: faulty ? 40 : 50, diskQuotaGb: 50, maxWidgets: 2, maxChannelAccounts: 10, maxWorkflows: 10, maxCannedMessages: 100, maxExtensions: 40 },
    });
    out.push(ten);
    for (let i = 0; i < PER_TENANT.agents; i++) {
      out.push(agent(ten, `t${t}-agent${i}`, { roles: faulty && i < 3 ? ["agent", "admin"] : i === 0 ? ["agent", "supervisor"] : ["agent"] }));
    }
    for (let i = 0; i < PER_TENANT.extensions; i++) {
      out.push(extension(ten, `t${t}-ext${i}`, { number: String(100 + i) }));
    }
    for (let i = 0; i < PER_TENANT.credentials; i++) {
      const kind = kinds[i % kinds.length];
      out.push(credential(ten, `t${t}-cred${i}`, kind, faulty && kind === "apiToken" ? { expiresAt: inDays(365) } : {}));
    }
  }
  return out;
}

async function main() {
  const resources = syntheticStack();
  const grants: Record<string, string[]> = {};
  for (let t = 0; t < TENANTS; t++) grants[`t${t}-agent0`] = ["supervisor"];
  const config: PackConfig = {
    "agent-roles": { grants },
    "plan-catalogue": { plans: { business: { maxAgents: 100, maxExtensions: 100, maxChannelAccounts: 20 } } },
  };
  const packs = {
    "least-privilege": leastPrivilegePolicies({ stack: () => "prod", now: () => NOW }),
    quotas: quotaPolicies(),
  };
  const results: Record<string, { policyMs: number[]; bestPolicyMs: number; wallMs: number; violations: number }> = {};
  for (const [name, policies] of Object.entries(packs)) {
    const policyMs: number[] = [];
    let wallMs = 0;
    let violations = 0;
    for (let run = 0; run < RUNS; run++) {
      const t = performance.now();
      const ev = await evaluate(policies, resources, config);
      wallMs = performance.now() - t;
      policyMs.push(ev.policyMs);
      violations = ev.violations.length;
    }
    results[name] = { policyMs, bestPolicyMs: Math.min(...policyMs), wallMs, violations };
  }
  const firstRunTotal = Object.values(results).reduce((s, r) => s + r.policyMs[0], 0);
  const bestTotal = Object.values(results).reduce((s, r) => s + r.bestPolicyMs, 0);
  const report = {
    benchmark: "policies",
    resources: resources.length,
    runs: RUNS,
    packs: results,
    policyMsBothPacksFirstRun: round(firstRunTotal),
    policyMsBothPacksBest: round(bestTotal),
    targetMs: TARGET_MS,
    withinTarget: firstRunTotal < TARGET_MS,
    note: "policyMs is the time inside the policies' validate functions; wallMs also includes building the analyzer's arguments (protobuf, deserialize, proxy) for every resource and policy.",
    node: process.version,
    at: new Date().toISOString(),
  };
  for (const [name, r] of Object.entries(results)) {
    console.log(`${name.padEnd(16)} ${resources.length} resources: ${round(r.policyMs[0])} ms in policies (first run), best ${round(r.bestPolicyMs)} ms; ${round(r.wallMs)} ms with argument building; ${r.violations} violations`);
  }
  console.log(`both packs: ${round(firstRunTotal)} ms in policies (target < ${TARGET_MS} ms) — ${report.withinTarget ? "within target" : "OVER TARGET"}`);
  const dir = join(process.cwd(), "results");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "policies-bench.json"), JSON.stringify(report, null, 2) + "\n");
  console.log(`written ${join(dir, "policies-bench.json")}`);
  if (!report.withinTarget) process.exitCode = 1;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
