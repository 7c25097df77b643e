/**
 * Benchmark of the local platform (not a test): create-agent and get-agent at concurrency 1, 16, 64,
 * with autocannon. The platform runs in its own process (as the CLI), so the load tool does not
 * steal its event loop. Prints req/s and p50/p99 latency; writes results/platform-bench.json.
 *
 *   npm run build && node dist/tests/bench/platform.js [--duration 10]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// autocannon ships no type declarations; this is the part used here.
interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require("autocannon") as Autocannon;

const TOKEN = "omo_bench_operator_token";
const argDuration = process.argv.indexOf("--duration");
const DURATION = argDuration > 0 ? Number(process.argv[argDuration + 1]) : 8;

function startServer(dataFile: string): Promise<{ url: string; child: ChildProcess }> {
  const cli = resolve(__dirname, "../../cli/index.js");
  const child = spawn(process.execPath, [cli, "platform", "--port", "0", "--data", dataFile], { env: { ...process.env, OMNITENANT_OPERATOR_TOKEN: TOKEN }, stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((ok, fail) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok({ url: m[1], child });
    });
    child.once("exit", (code) => fail(new Error(`platform exited (${code}) before listening:\n${out}`)));
  });
}

async function json(url: string, method: string, body?: unknown) {
  const res = await fetch(url, { method, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, any>>;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), "omnitenant-bench-"));
  const { url, child } = await startServer(join(dir, "platform.db"));
  const results: Array<Record<string, unknown>> = [];
  try {
    const limits = { maxAgents: 1_000_000, diskQuotaGb: 1, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 1, maxExtensions: 1 };
    const tenant = await json(`${url}/v1/tenants`, "POST", {
      companyName: "Bench", organizationSize: "11-50", country: "US", fqdn: "bench.pbx.example.com", timeZone: "UTC", language: "en",
      admin: { username: "admin", password: "bench-password", firstName: "B", email: "b@example.com" }, capabilities: limits,
    });
    const agentsUrl = `${url}/v1/tenants/${tenant.tenantId}/agents`;
    const agent = await json(agentsUrl, "POST", { account: "bench.get", password: "bench-password", firstName: "G", alias: "G", email: "g@example.com" });
    const headers = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    let n = 0;
    for (const scenario of ["get-agent", "create-agent"] as const) {
      for (const connections of [1, 16, 64]) {
        const r = await autocannon({
          url: scenario === "get-agent" ? `${agentsUrl}/${agent.agentId}` : agentsUrl,
          method: scenario === "get-agent" ? "GET" : "POST",
          headers,
          connections,
          duration: DURATION,
          requests:
            scenario === "create-agent"
              ? [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: JSON.stringify({ account: `bench.${++n}`, password: "bench-password", firstName: "C", alias: "C", email: "c@example.com" }) }) }]
              : undefined,
        });
        const row = { scenario, connections, requestsPerSecond: Math.round(r.requests.average), p50Ms: r.latency.p50, p99Ms: r.latency.p99, total: r.requests.total, non2xx: r.non2xx, errors: r.errors + r.timeouts };
        results.push(row);
        console.log(`${scenario.padEnd(13)} c=${String(connections).padEnd(3)} ${String(row.requestsPerSecond).padStart(6)} req/s   p50 ${row.p50Ms} ms   p99 ${row.p99Ms} ms   non-2xx ${row.non2xx}   errors ${row.errors}`);
      }
    }
    const target = results.find((r) => r.scenario === "get-agent" && r.connections === 16)!;
    const meets = (target.requestsPerSecond as number) >= 3000 && (target.p99Ms as number) < 20;
    console.log(`target get-agent c=16 ≥ 3000 req/s, p99 < 20 ms: ${meets ? "met" : "NOT met"}`);
    mkdirSync("results", { recursive: true });
    writeFileSync(join("results", "platform-bench.json"), JSON.stringify({ date: new Date().toISOString(), durationSeconds: DURATION, target: { scenario: "get-agent", connections: 16, minRequestsPerSecond: 3000, maxP99Ms: 20, met: meets }, results }, null, 2) + "\n");
    console.log("written results/platform-bench.json");
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
