/**
 * `omnitenant platform` run as a user runs it: the compiled CLI in a process of its own, on a port it
 * binds itself (--port 0), read back from what it prints.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";

const bin = path.resolve(__dirname, "..", "..", "bin", "omnitenant.js");

export interface CliPlatform {
  url: string;
  /** All it printed so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, then waits until its output pipes are drained; returns all it printed. */
  stop(): Promise<string>;
}

export async function startCliPlatform(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliPlatform> {
  const child = spawn(process.execPath, [bin, "platform", "--port", "0", ...args], { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  const closed = new Promise((r) => child.once("close", r));
  let out = "";
  child.stdout!.on("data", (d) => (out += d.toString()));
  child.stderr!.on("data", (d) => (out += d.toString()));
  const stop = async () => {
    child.kill("SIGTERM");
    await closed;
    return out;
  };
  // Started once it says how to stop it: everything about where it is has been printed by then.
  const deadline = Date.now() + 30_000;
  while (!/Press Ctrl\+C/.test(out) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 50));
  const url = /listening on (\S+)/.exec(out)?.[1];
  if (!url || !/Press Ctrl\+C/.test(out)) {
    await stop();
    throw new Error(`the platform did not start:\n${out}`);
  }
  return { url, output: () => out, stop };
}
