/**
 * `npm run bench`: every benchmark, figures printed and written as JSON under results/, with a
 * chart of time against resource count (results/bench-scale.svg).
 *
 *  - scale: `pulumi up` of 100, 500, 1,000 and 2,000 resources against the two baselines, no-change runs,
 *    memory, program-side serialization (tests/bench/scale.ts)   → results/bench-scale.json
 *  - platform: the local platform's req/s (tests/bench/platform.ts) → results/bench-platform.json
 *  - policies: both packs over 10,000 resources (tests/bench/policies.ts) → results/bench-policies.json
 *  - provision: the reseller benchmark (tests/bench/provision.ts) only with --provision, because 50
 *    customer stacks take longer than the rest together on a 2-core machine; whatever follows
 *    --provision-args is passed to it.
 * Summary: results/bench-summary.json. Each target is printed with ✓ or ✗ and, when missed, why.
 *
 * The scale table is measured with PULUMI_SKIP_CHECKPOINTS (omnitenant and no-op alike) at every
 * size, and with per-step checkpoints at --checkpoint-sizes (100 by default): the file backend's
 * per-step checkpoint rewrite is O(resources²), minutes at 1,000 resources on 2 cores. A profiled
 * up (--profile-at, 1,000 by default) prints where the provider host and the program spend CPU.
 *
 *  - drift: the fleet drift check against bare list requests and refresh previews
 *    (tests/bench/drift.ts), on its own with --drift; whatever follows --drift is passed to it.
 *
 *   npm run bench [-- --sizes 100,500,1000,2000] [--checkpoint-sizes 100|none] [--checkpoints] [--profile-at 1000 | --no-profile]
 *                 [--parallel 16] [--platform-duration 5]
 *                 [--skip-platform] [--skip-policies] [--provision [--provision-args …]]
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkTargets, profiledUp, runScale, TARGETS, type ProfiledUp, type SizeResult, type TargetCheck } from "./scale";
import { formatSummary } from "./profile";

const repoRoot = path.resolve(__dirname, "..", "..", "..");
const resultsDir = path.join(repoRoot, "results");
const argv = process.argv.slice(2);
const provisionArgsAt = argv.indexOf("--provision-args");
const ownArgs = provisionArgsAt >= 0 ? argv.slice(0, provisionArgsAt) : argv;
const provisionArgs = provisionArgsAt >= 0 ? argv.slice(provisionArgsAt + 1) : [];
const arg = (name: string) => {
  const i = ownArgs.indexOf(name);
  return i >= 0 ? ownArgs[i + 1] : undefined;
};
const flag = (name: string) => ownArgs.includes(name);

function write(name: string, data: unknown): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, name);
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + "\n");
  return path.relative(repoRoot, file);
}

/** Runs one of the other benchmark scripts in its own process; returns its JSON report, if any. */
function runScript(name: string, args: string[], report: string): { status: number; report?: unknown; seconds: number } {
  const script = path.join(__dirname, `${name}.js`);
  if (!fs.existsSync(script)) return { status: -1, seconds: 0 };
  console.log(`\n== ${name} ==`);
  const t = performance.now();
  const r = spawnSync(process.execPath, [script, ...args], { cwd: repoRoot, stdio: "inherit", env: process.env });
  const seconds = Math.round((performance.now() - t) / 100) / 10;
  const file = path.join(resultsDir, report);
  const parsed = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as unknown) : undefined;
  return { status: r.status ?? 1, report: parsed, seconds };
}

// ---------------------------------------------------------------------------------------------
// the chart: seconds against resources, drawn by hand

export function scaleChart(results: SizeResult[]): string {
  const W = 720;
  const H = 420;
  const m = { left: 64, right: 190, top: 40, bottom: 52 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const series = [
    { name: "omnitenant up", color: "#1f77b4", value: (r: SizeResult) => r.omnitenant.upMs },
    { name: "no-op engine up", color: "#ff7f0e", value: (r: SizeResult) => r.noopEngine.upMs },
    { name: "bare undici floor", color: "#2ca02c", value: (r: SizeResult) => r.floor.wallMs },
    { name: "no-change up", color: "#9467bd", value: (r: SizeResult) => r.noChange.upMs },
    { name: "no-change preview", color: "#8c564b", value: (r: SizeResult) => r.noChange.previewMs },
  ];
  const sorted = [...results].sort((a, b) => a.resources - b.resources);
  const maxX = Math.max(...sorted.map((r) => r.resources));
  const maxY = niceCeil(Math.max(...sorted.flatMap((r) => series.map((s) => s.value(r)))) / 1000);
  const x = (n: number) => m.left + (n / maxX) * pw;
  const y = (sec: number) => m.top + ph - (sec / maxY) * ph;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${m.left}" y="22" font-size="15" font-weight="bold">omnitenant: time against resource count</text>`);
  // grid and axes
  for (let i = 0; i <= 5; i++) {
    const sec = (maxY / 5) * i;
    out.push(`<line x1="${m.left}" y1="${y(sec)}" x2="${m.left + pw}" y2="${y(sec)}" stroke="#ddd"/>`);
    out.push(`<text x="${m.left - 8}" y="${y(sec) + 4}" text-anchor="end">${fmt(sec)}</text>`);
  }
  for (const r of sorted) {
    out.push(`<line x1="${x(r.resources)}" y1="${m.top}" x2="${x(r.resources)}" y2="${m.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${x(r.resources)}" y="${m.top + ph + 18}" text-anchor="middle">${r.resources}</text>`);
  }
  out.push(`<line x1="${m.left}" y1="${m.top + ph}" x2="${m.left + pw}" y2="${m.top + ph}" stroke="black"/>`);
  out.push(`<line x1="${m.left}" y1="${m.top}" x2="${m.left}" y2="${m.top + ph}" stroke="black"/>`);
  out.push(`<text x="${m.left + pw / 2}" y="${H - 12}" text-anchor="middle">resources in the stack</text>`);
  out.push(`<text transform="translate(16 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">seconds</text>`);
  // series
  series.forEach((s, i) => {
    const pts = sorted.map((r) => `${x(r.resources).toFixed(1)},${y(s.value(r) / 1000).toFixed(1)}`);
    out.push(`<polyline points="${pts.join(" ")}" fill="none" stroke="${s.color}" stroke-width="2"${i >= 3 ? ' stroke-dasharray="5 4"' : ""}/>`);
    for (const r of sorted) {
      out.push(`<circle cx="${x(r.resources).toFixed(1)}" cy="${y(s.value(r) / 1000).toFixed(1)}" r="3.5" fill="${s.color}"><title>${s.name}, ${r.resources} resources: ${fmt(s.value(r) / 1000)} s</title></circle>`);
    }
    const ly = m.top + 10 + i * 22;
    out.push(`<line x1="${m.left + pw + 16}" y1="${ly}" x2="${m.left + pw + 40}" y2="${ly}" stroke="${s.color}" stroke-width="2"${i >= 3 ? ' stroke-dasharray="5 4"' : ""}/>`);
    out.push(`<text x="${m.left + pw + 46}" y="${ly + 4}">${s.name}</text>`);
  });
  const last = sorted[sorted.length - 1];
  out.push(`<text x="${m.left + pw + 16}" y="${m.top + 10 + series.length * 22 + 10}" font-size="11">at ${last.resources}: overhead ${last.overhead}</text>`);
  out.push(`<text x="${m.left + pw + 16}" y="${m.top + 10 + series.length * 22 + 26}" font-size="11">${last.omnitenant.requestsPerResource} requests/resource</text>`);
  out.push(`</svg>`);
  return out.join("\n") + "\n";
}

function niceCeil(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const f of [1, 2, 2.5, 5, 10]) if (f * p >= v) return f * p;
  return 10 * p;
}
const fmt = (n: number) => (n >= 10 ? String(Math.round(n)) : String(Math.round(n * 10) / 10));

function sizesArg(v: string): number[] {
  return v === "none" ? [] : v.split(",").map(Number).filter((n) => n > 0);
}

/** The issue's table: one row per size and checkpoint mode, the no-op run's figure in parentheses. */
export function scaleTable(rows: SizeResult[]): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const out = [
    "| checkpoints | resources | omnitenant up | no-op engine | bare-HTTP floor | (omnitenant − no-op) / floor | program peak (no-op) | provider host peak (no-op) | provider text per resource (no-op) |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    out.push(
      `| ${r.skipCheckpoints ? "skipped" : "every step"} | ${r.resources} | ${s(r.omnitenant.upMs)} | ${s(r.noopEngine.upMs)} | ${s(r.floor.wallMs)} | ${r.overhead} | ` +
        `${Math.round(r.omnitenant.programPeakRssMb)} MB (${Math.round(r.noopEngine.programPeakRssMb)} MB) | ${Math.round(r.omnitenant.providerHostPeakMb)} MB (${Math.round(r.noopEngine.providerHostPeakMb)} MB) | ` +
        `${r.checkpoint.providerBytesPerResource.toLocaleString("en-US")} B (${r.noopEngine.providerBytesPerResource.toLocaleString("en-US")} B) |`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  // `npm run bench -- --drift [--customers N --concurrency N --refresh-sample N]`: only the drift benchmark.
  const driftAt = argv.indexOf("--drift");
  if (driftAt >= 0) {
    const r = runScript("drift", argv.slice(driftAt + 1), "bench-drift.json");
    process.exitCode = r.status;
    return;
  }
  const started = performance.now();
  const sizes = (arg("--sizes") ?? "100,500,1000,2000").split(",").map(Number).filter((n) => n > 0);
  const parallel = Number(arg("--parallel") ?? 16);
  // Per-step checkpoints cost the engine O(resources²) in the file backend (a 1,000-resource up
  // takes minutes with them on 2 cores, the no-op provider alike): the table is measured without
  // them at every size, and with them at --checkpoint-sizes only (100 unless told; "none" for
  // none). --checkpoints measures every size with them instead.
  const skipCheckpoints = !flag("--checkpoints");
  const checkpointSizes = skipCheckpoints ? sizesArg(arg("--checkpoint-sizes") ?? "100") : [];
  const profileAt = flag("--no-profile") ? undefined : Number(arg("--profile-at") ?? (sizes.includes(1000) ? 1000 : Math.max(...sizes)));
  const summary: Record<string, unknown> = { at: new Date().toISOString(), node: process.version, cores: os.cpus().length };
  const checks: TargetCheck[] = [];

  console.log(`== scale (${sizes.join(", ")} resources, parallel ${parallel}${skipCheckpoints ? ", without checkpoints" : ", with checkpoints"}) ==`);
  const t = performance.now();
  const results = await runScale({ sizes, parallel, skipCheckpoints });
  let withCheckpoints: SizeResult[] = [];
  if (checkpointSizes.length) {
    console.log(`\n== scale with per-step checkpoints (${checkpointSizes.join(", ")} resources) ==`);
    withCheckpoints = await runScale({ sizes: checkpointSizes, parallel, skipCheckpoints: false });
  }
  let profile: ProfiledUp | undefined;
  if (profileAt) {
    console.log(`\n== CPU profile: one more omnitenant up of ${profileAt} resources, provider host and program sampled ==`);
    profile = await profiledUp(profileAt, parallel, skipCheckpoints);
    console.log(`profiled up: ${profile.upMs} ms (slowed by the sampling), provider host peak ${profile.memory.providerHostPeakMb} MB`);
    if (profile.providerHost) for (const line of formatSummary(`provider host (${profile.providerHostFiles.join(", ")})`, profile.providerHost, 15)) console.log(line);
    else console.log("  provider host: no profile was written");
    for (const line of formatSummary("program (this process: the inline program and the Automation API)", profile.program, 10)) console.log(line);
  }
  console.log("\n== scale: the table ==");
  for (const line of scaleTable([...results, ...withCheckpoints])) console.log(line);
  const scaleChecks = checkTargets(results);
  checks.push(...scaleChecks);
  const scaleFile = write("bench-scale.json", {
    benchmark: "scale",
    at: new Date().toISOString(),
    parallel,
    skipCheckpoints,
    targets: TARGETS,
    method: {
      stack: "fleets of tenants, 50 resources each: tenant, 4 queues, 15 agents, 16 extensions targeting each other by number, 3 user groups, 4 incoming numbers, 7 credentials",
      dependsOn:
        "PBX objects declare dependsOn to the extensions they target (tests/bench/programs/fleet.ts, dependOnTargets): without it the provider waits for a target inside the create while holding an engine slot, and a fleet of more than one tenant does not deploy (see bugs in the report)",
      omnitenant: "pulumi up through the Automation API (inline program) against a fresh local platform in its own process (scrypt 2^10); requests counted by the platform's admin stats",
      floor: "the same creates, and as many applies as omnitenant made, sent by a bare undici client at the same concurrency, scheduled in reference order, on a fresh platform",
      noopEngine: "the same stack shape through a dynamic provider that returns ids without any request",
      overhead: "(omnitenant up − no-op engine up) / floor",
      memory: "program: peak RSS of this process (the inline program runs in it), sampled every 150 ms; provider host: VmHWM of the dynamic-provider node process among the descendants",
      serialization: "calls of @pulumi/pulumi's serializeFunction during the omnitenant up, and the time during which one was running",
    },
    results,
    withCheckpoints,
    profile,
    checks: scaleChecks,
    seconds: Math.round((performance.now() - t) / 1000),
  });
  fs.writeFileSync(path.join(resultsDir, "bench-scale.svg"), scaleChart(results));
  console.log(`written ${scaleFile} and results/bench-scale.svg`);
  summary.scale = {
    file: scaleFile,
    chart: "results/bench-scale.svg",
    bySize: results.map((r) => ({
      resources: r.resources,
      upSeconds: r.omnitenant.upMs / 1000,
      noopEngineSeconds: r.noopEngine.upMs / 1000,
      floorSeconds: r.floor.wallMs / 1000,
      overhead: r.overhead,
      requestsPerResource: r.omnitenant.requestsPerResource,
      appliesPerPbxResource: r.omnitenant.appliesPerPbxResource,
      noChangeUpSeconds: r.noChange.upMs / 1000,
      noChangePreviewSeconds: r.noChange.previewMs / 1000,
      noChangeWriteRequests: r.noChange.upWriteRequests + r.noChange.previewWriteRequests,
      programPeakMb: r.omnitenant.programPeakRssMb,
      providerHostPeakMb: r.omnitenant.providerHostPeakMb,
      serializeCalls: r.program.serializeCalls,
      serializeMsPerResource: r.program.serializeMsPerResource,
    })),
    withCheckpoints: withCheckpoints.map((r) => ({ resources: r.resources, upSeconds: r.omnitenant.upMs / 1000, noopEngineSeconds: r.noopEngine.upMs / 1000, floorSeconds: r.floor.wallMs / 1000, overhead: r.overhead })),
    providerHostProfile: profile?.providerHost ? { resources: profile.resources, areas: profile.providerHost.areas.slice(0, 8), top: profile.providerHost.top.slice(0, 10) } : undefined,
  };

  if (!flag("--skip-platform")) {
    const r = runScript("platform", ["--duration", arg("--platform-duration") ?? "5"], "platform-bench.json");
    const report = r.report as { target?: { met?: boolean; minRequestsPerSecond?: number; maxP99Ms?: number }; results?: Array<Record<string, number | string>> } | undefined;
    summary.platform = { status: r.status, seconds: r.seconds, file: report ? write("bench-platform.json", report) : undefined };
    if (report?.target) {
      const row = report.results?.find((x) => x.scenario === "get-agent" && x.connections === 16);
      checks.push({
        target: `platform get-agent at 16 connections: ≥ ${report.target.minRequestsPerSecond} req/s and p99 < ${report.target.maxP99Ms} ms`,
        value: row ? `${row.requestsPerSecond} req/s, p99 ${row.p99Ms} ms` : "?",
        limit: report.target.minRequestsPerSecond ?? 0,
        met: !!report.target.met,
        note: report.target.met ? undefined : "measured on 2 cores shared with the load generator (autocannon) and with other work on the machine",
      });
    }
  }
  if (!flag("--skip-policies")) {
    const r = runScript("policies", [], "policies-bench.json");
    const report = r.report as { policyMsBothPacksFirstRun?: number; targetMs?: number; withinTarget?: boolean; resources?: number } | undefined;
    summary.policies = { status: r.status, seconds: r.seconds, file: report ? write("bench-policies.json", report) : undefined };
    if (report?.targetMs !== undefined) {
      checks.push({
        target: `both policy packs over ${report.resources} resources, ms in policies`,
        value: report.policyMsBothPacksFirstRun ?? "?",
        limit: report.targetMs,
        met: !!report.withinTarget,
        note: report.withinTarget ? undefined : "first run includes JIT warm-up on a loaded 2-core machine",
      });
    }
  }
  if (flag("--provision")) {
    const r = runScript("provision", provisionArgs, "provision-bench.json");
    summary.provision =
      r.status === -1
        ? { skipped: "tests/bench/provision.ts is not there yet (dist/tests/bench/provision.js missing)" }
        : { status: r.status, seconds: r.seconds, file: r.report ? write("bench-provision.json", r.report) : undefined };
  } else {
    summary.provision = { skipped: "opt-in: npm run bench -- --provision (50 customer stacks; longer than the rest together on 2 cores)" };
  }

  console.log("\n== targets ==");
  for (const c of checks) console.log(`${c.met ? "✓" : "✗"} ${c.target}: ${c.value} (target ${c.limit})${c.note ? `\n    why: ${c.note}` : ""}`);
  summary.targets = checks;
  summary.seconds = Math.round((performance.now() - started) / 1000);
  console.log(`\nwritten ${write("bench-summary.json", summary)} (${summary.seconds} s in all)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
