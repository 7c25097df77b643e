/**
 * The locks a file backend keeps per stack (`.pulumi/locks/<org>/<project>/<stack>/<id>.json`,
 * written by the CLI for the length of a run). A run killed in the middle leaves its lock behind;
 * one taken on this host by a process that no longer runs is such a leftover for certain.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface StackLock {
  pid: number;
  hostname: string;
  /** When the run took the lock (as the CLI wrote it). */
  timestamp?: string;
}

/** The stack's locks in a file backend; none for any other backend. */
export function stackLocks(backendUrl: string, projectName: string, stackName: string): StackLock[] {
  if (!backendUrl.startsWith("file://")) return [];
  const root = path.join(new URL(backendUrl).pathname, ".pulumi", "locks");
  if (!fs.existsSync(root)) return [];
  const locks: StackLock[] = [];
  for (const org of fs.readdirSync(root)) {
    const dir = path.join(root, org, projectName, stackName);
    if (!fs.existsSync(dir)) continue;
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) {
      let text: string;
      try {
        text = fs.readFileSync(path.join(dir, file), "utf8");
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") continue; // the run ended meanwhile
        throw err;
      }
      // Only what is needed to judge the lock (the file also names the OS user, which stays out of reports).
      const { pid, hostname, timestamp } = JSON.parse(text) as StackLock;
      locks.push({ pid, hostname, ...(timestamp !== undefined ? { timestamp } : {}) });
    }
  }
  return locks;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process stays a zombie until it is reaped; it holds nothing any more.
  try {
    return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return true;
  }
}

/** Taken on this host by a process that no longer runs: the run that took it was killed. */
export function isAbandoned(lock: StackLock): boolean {
  return lock.hostname === os.hostname() && !processAlive(lock.pid);
}
