/**
 * CPU profiles for the scale benchmark: Node's `.cpuprofile` files (V8 sampling profiler, written by
 * `--cpu-prof` or by the inspector), summarized as self time per function and per area (a package
 * under node_modules, omnitenant's own provider or SDK code, Node internals, GC, idle).
 */
import * as fs from "node:fs";
import * as inspector from "node:inspector";
import * as path from "node:path";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Wall time the profile covers, and the CPU time sampled (idle excluded). */
  wallMs: number;
  cpuMs: number;
  /** Functions by self time, busiest first (idle excluded). */
  top: Array<{ fn: string; at: string; selfMs: number; pct: number }>;
  /** Self time per area, busiest first (idle excluded). */
  areas: Array<{ area: string; selfMs: number; pct: number }>;
}

/** Where a function's code lives: the package, omnitenant's own code, Node itself, or V8's buckets. */
export function areaOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith("(") ? frame.functionName : "(native)";
  if (url.startsWith("node:")) return "node internals";
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    if (pkg === "omnitenant") return `omnitenant ${rest[2] ?? ""}`.trim();
    if (pkg === "@pulumi/pulumi") return `@pulumi/pulumi ${rest[2] === "proto" ? "proto" : rest[2]?.endsWith(".js") ? "" : rest[2] ?? ""}`.trim();
    return pkg;
  }
  const dist = /\/dist\/(provider|sdk|automation|tests)\//.exec(url);
  if (dist) return `omnitenant ${dist[1]}`;
  return "other";
}

export function summarizeProfile(profile: CpuProfile, topN = 15): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const fns = new Map<string, { fn: string; at: string; us: number }>();
  const areas = new Map<string, number>();
  let cpuUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === "(idle)") continue;
    cpuUs += us;
    const at = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName}@${at}`;
    const entry = fns.get(key) ?? { fn: frame.functionName || "(anonymous)", at, us: 0 };
    entry.us += us;
    fns.set(key, entry);
    const area = areaOf(frame);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const pct = (us: number) => (cpuUs ? Math.round((us / cpuUs) * 1000) / 10 : 0);
  return {
    wallMs: ms(profile.endTime - profile.startTime),
    cpuMs: ms(cpuUs),
    top: [...fns.values()].sort((a, b) => b.us - a.us).slice(0, topN).map((f) => ({ fn: f.fn, at: f.at, selfMs: ms(f.us), pct: pct(f.us) })),
    areas: [...areas.entries()].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, selfMs: ms(us), pct: pct(us) })),
  };
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf("node_modules/");
  if (modules >= 0) return url.slice(modules + "node_modules/".length);
  const dist = url.indexOf("/dist/");
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, "");
}

/** The profiles written into `dir` for the given pids (`CPU.<anything>.<pid>.….cpuprofile`). */
export function profilesOf(dir: string, pids: Iterable<number>): string[] {
  const wanted = new Set([...pids].map(String));
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile") && wanted.has(f.split(".")[2]))
    .map((f) => path.join(dir, f));
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
}

/** Profiles this process (where the inline program runs) between start() and stop(). */
export class InProcessProfiler {
  private session = new inspector.Session();

  async start(intervalUs = 1000): Promise<void> {
    this.session.connect();
    await this.post("Profiler.enable");
    await this.post("Profiler.setSamplingInterval", { interval: intervalUs });
    await this.post("Profiler.start");
  }

  async stop(): Promise<CpuProfile> {
    const { profile } = (await this.post("Profiler.stop")) as { profile: CpuProfile };
    this.session.disconnect();
    return profile;
  }

  private post(method: string, params?: object): Promise<unknown> {
    return new Promise((resolve, reject) => this.session.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result))));
  }
}

/** Lines for the console: the areas, then the top functions. */
export function formatSummary(title: string, s: ProfileSummary, topN = 10): string[] {
  const lines = [`  ${title}: ${s.cpuMs} ms of CPU over ${s.wallMs} ms`];
  lines.push(`    by area: ${s.areas.slice(0, 8).map((a) => `${a.area} ${a.pct}%`).join(", ")}`);
  for (const f of s.top.slice(0, topN)) lines.push(`    ${String(f.pct).padStart(5)}%  ${f.selfMs.toFixed(1).padStart(8)} ms  ${f.fn} ${f.at}`);
  return lines;
}
