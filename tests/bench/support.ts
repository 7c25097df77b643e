/** What the benchmarks share: a platform in a child process, its admin API, memory sampling. */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface BenchPlatform {
  url: string;
  operatorToken: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** A fresh platform (new data file) in its own process. */
export function startBenchPlatform(): Promise<BenchPlatform> {
  const dir = mkdtempSync(join(tmpdir(), "omnitenant-bench-"));
  const child = spawn(process.execPath, [join(__dirname, "platform-server.js"), join(dir, "platform.db")], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (!line || !out.includes("\n")) return;
      const { url, operatorToken } = JSON.parse(line) as { url: string; operatorToken: string };
      resolve({
        url,
        operatorToken,
        child,
        stop: async () => {
          if (child.exitCode === null) {
            const exited = new Promise((r) => child.once("exit", r));
            child.kill("SIGTERM");
            await exited;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      });
    });
    child.once("exit", (code) => reject(new Error(`platform exited (${code}) before listening: ${out}`)));
  });
}

export interface AdminStats {
  faults: Record<string, number>;
  requests: { total: number; byMethod: { GET: number; POST: number; PATCH: number; DELETE: number } };
  writes: number;
  applies: number;
}

export async function adminCall(p: { url: string; operatorToken: string }, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(p.url + path, {
    method,
    headers: { authorization: `Bearer ${p.operatorToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

export const getStats = (p: { url: string; operatorToken: string }): Promise<AdminStats> => adminCall(p, "GET", "/v1/admin/stats");
export const resetStats = (p: { url: string; operatorToken: string }): Promise<void> => adminCall(p, "DELETE", "/v1/admin/stats");
export const writeRequests = (s: AdminStats) => s.requests.byMethod.POST + s.requests.byMethod.PATCH + s.requests.byMethod.DELETE;

/** Descendant pids of a process, from /proc. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone already
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    for (const c of children.get(stack.pop()!) ?? []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

function statusKb(pid: number, field: string): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Samples, while a deployment runs, the RSS of this process (where the inline program runs) and the
 * peak RSS (VmHWM) of the dynamic-provider host(s) among this process's descendants.
 */
export class MemorySampler {
  private timer?: NodeJS.Timeout;
  programPeakRss = 0;
  providerHostPeakKb = 0;
  providerHostPids = new Set<number>();
  engineCliPeakKb = 0;
  /** CPU time (user + system) last seen per provider host and per CLI process: less sensitive to a loaded machine than wall time. */
  private hostCpuTicks = new Map<number, number>();
  private cliCpuTicks = new Map<number, number>();
  private programCpuStart = process.cpuUsage();

  start(intervalMs = 150): void {
    this.programPeakRss = process.memoryUsage().rss;
    this.programCpuStart = process.cpuUsage();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  sample(): void {
    this.programPeakRss = Math.max(this.programPeakRss, process.memoryUsage().rss);
    for (const pid of descendants(process.pid)) {
      let cmd = "";
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
      } catch {
        continue;
      }
      if (/dynamic-provider/.test(cmd) && /node/.test(cmd)) {
        this.providerHostPids.add(pid);
        this.providerHostPeakKb = Math.max(this.providerHostPeakKb, statusKb(pid, "VmHWM") ?? 0);
        this.hostCpuTicks.set(pid, cpuTicks(pid) ?? this.hostCpuTicks.get(pid) ?? 0);
      } else if (/\/pulumi (up|preview|destroy|refresh)\b/.test(cmd) || /bin\/pulumi\b/.test(cmd.split(" ")[0] ?? "")) {
        this.engineCliPeakKb = Math.max(this.engineCliPeakKb, statusKb(pid, "VmHWM") ?? 0);
        this.cliCpuTicks.set(pid, cpuTicks(pid) ?? this.cliCpuTicks.get(pid) ?? 0);
      }
    }
  }

  stop(): { programPeakRssMb: number; providerHostPeakMb: number; providerHosts: number; engineCliPeakMb: number; providerHostCpuMs: number; engineCliCpuMs: number; programCpuMs: number } {
    this.sample();
    clearInterval(this.timer);
    const program = process.cpuUsage(this.programCpuStart);
    const ms = (ticks: Map<number, number>) => Math.round(([...ticks.values()].reduce((a, b) => a + b, 0) * 1000) / clockTicks);
    return {
      programPeakRssMb: mb(this.programPeakRss),
      providerHostPeakMb: Math.round((this.providerHostPeakKb / 1024) * 10) / 10,
      providerHosts: this.providerHostPids.size,
      engineCliPeakMb: Math.round((this.engineCliPeakKb / 1024) * 10) / 10,
      // As last sampled (up to one interval before each process exits).
      providerHostCpuMs: ms(this.hostCpuTicks),
      engineCliCpuMs: ms(this.cliCpuTicks),
      programCpuMs: Math.round((program.user + program.system) / 1000),
    };
  }
}

/** USER_HZ: the unit of utime and stime in /proc/<pid>/stat (100 on Linux). */
const clockTicks = 100;

function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return undefined;
  }
}

export const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
export const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
