/**
 * Kills a deployment as hard as a crash does: every process of its tree at once. Pulumi starts each
 * plugin (language host, provider hosts) in its own process group, so killing the runner's group
 * would spare them; the tree is therefore walked through /proc (parent links), frozen with SIGSTOP
 * so that nothing forks or writes meanwhile, then SIGKILLed as a whole.
 */
import { readdirSync, readFileSync } from "node:fs";

export interface ProcessInfo {
  pid: number;
  command: string;
}

/** pid → parent pid of every process, read from /proc/<pid>/stat. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat) out.set(Number(entry), stat.ppid);
  }
  return out;
}

function readStat(pid: number): { state: string; ppid: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name may hold spaces and parentheses: the fields follow its last ')'.
    const [state, ppid] = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { state, ppid: Number(ppid) };
  } catch {
    return null; // gone meanwhile
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
  } catch {
    return "";
  }
}

/** The process and all its descendants, parents first. */
export function processTree(root: number): ProcessInfo[] {
  const ppids = parents();
  const tree: number[] = ppids.has(root) ? [root] : [];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of ppids) if (ppid === tree[i]) tree.push(pid);
  return tree.map((pid) => ({ pid, command: commandOf(pid) }));
}

/** Processes of the list that still run (a zombie waiting for its parent does not run). */
export function stillRunning(processes: ProcessInfo[]): ProcessInfo[] {
  return processes.filter((p) => {
    const stat = readStat(p.pid);
    return stat !== null && stat.state !== "Z" && stat.state !== "X";
  });
}

const signal = (pid: number, sig: NodeJS.Signals) => {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
};

/**
 * SIGKILLs the whole tree under `root` at once and waits until none of it runs (generous deadline).
 * Returns what was killed, so that a test can show what the crash took down.
 */
export async function killTree(root: number, deadlineMs = 30_000): Promise<ProcessInfo[]> {
  // Freeze first, re-walking until the tree stops growing: a process forked meanwhile is caught too.
  let killed: ProcessInfo[] = [];
  for (let round = 0; round < 10; round++) {
    const tree = processTree(root);
    for (const p of tree) signal(p.pid, "SIGSTOP");
    const known = new Set(killed.map((p) => p.pid));
    const fresh = tree.filter((p) => !known.has(p.pid));
    killed = [...killed, ...fresh];
    if (fresh.length === 0) break;
  }
  for (const p of killed) signal(p.pid, "SIGKILL");
  const end = Date.now() + deadlineMs;
  while (stillRunning(killed).length > 0) {
    if (Date.now() > end) throw new Error(`still running after SIGKILL: ${JSON.stringify(stillRunning(killed))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return killed;
}
