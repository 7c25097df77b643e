/**
 * A `pulumi up` running in a process tree of its own (tests/support/stack-runner.ts), for tests that
 * crash a deployment: `crash()` kills the whole tree at once — runner, Pulumi CLI, language and
 * provider hosts — and `dispose()` (for afterAll) makes sure nothing of it outlives the test.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import { repoRoot } from "./engine";
import { killTree, processTree, stillRunning, type ProcessInfo } from "./process-tree";
import type { RunnerInput } from "./stack-runner";

export interface Runner {
  child: ChildProcess;
  running(): boolean;
  output(): string;
  exited: Promise<number | null>;
  /** SIGKILLs the whole tree and returns what it took down; throws if any of it survives. */
  crash(): Promise<ProcessInfo[]>;
  /** Kills whatever of the tree still runs (for afterAll, even after a failed test). */
  dispose(): Promise<void>;
}

export function startRunner(input: RunnerInput): Runner {
  const child = spawn(process.execPath, [path.join(repoRoot, "dist", "tests", "support", "stack-runner.js")], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, OMNITENANT_RUNNER: JSON.stringify(input) },
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  // Everything ever seen in the tree, so that dispose() finds orphans re-parented after a crash of the runner.
  const seen = new Map<number, ProcessInfo>();
  const remember = () => {
    if (child.exitCode === null && child.pid) for (const p of processTree(child.pid)) seen.set(p.pid, p);
  };
  const watch = setInterval(remember, 200);
  watch.unref();
  void exited.then(() => clearInterval(watch));
  return {
    child,
    running: () => child.exitCode === null && child.signalCode === null,
    output: () => output,
    exited,
    crash: async () => {
      clearInterval(watch);
      const killed = await killTree(child.pid!);
      await exited;
      return killed;
    },
    dispose: async () => {
      clearInterval(watch);
      if (child.exitCode === null && child.signalCode === null) await killTree(child.pid!);
      // Anything of the tree left behind (orphaned after its parent died), as long as it is the same process.
      for (const p of stillRunning([...seen.values()])) if (processTree(p.pid)[0]?.command === p.command) await killTree(p.pid);
      await exited;
    },
  };
}
