/** Pulumi file-backend locks as a killed run leaves them, for tests of the repair and of drift. */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** A pid that no longer runs: a process that has exited and been reaped. */
export function exitedPid(): number {
  const out = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  return Number(out.stdout);
}

/** Writes `<stateDir>/.pulumi/locks/organization/<project>/<stack>/<name>.json` as the CLI does; returns its path. */
export function writeStackLock(stateDir: string, project: string, stack: string, name: string, lock: { pid: number; hostname: string; username?: string; timestamp?: string }): string {
  const dir = path.join(stateDir, ".pulumi", "locks", "organization", project, stack);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({ username: "u", timestamp: new Date().toISOString(), ...lock }));
  return file;
}
