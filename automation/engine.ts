/**
 * How omnitenant runs the Pulumi engine: the real CLI (found on PATH or built from its Go modules
 * by scripts/pulumi-cli.js), driven through the Automation API with inline programs. Inline
 * programs run in this Node.js process behind @pulumi/pulumi's own language-runtime server, so
 * they need no separate Node.js language-host binary.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import { LocalWorkspace, PulumiCommand, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cli = require("omnitenant/scripts/pulumi-cli");
import { isAbandoned, stackLocks } from "./stack-locks";

export interface Engine {
  command: PulumiCommand;
  binDir: string;
  version: string;
  /** "PATH" when the user's own CLI is used, "cache" when omnitenant built it. */
  source: "PATH" | "cache";
}

let engine: Promise<Engine> | undefined;

/** The Pulumi CLI, found or built once per process. */
export function getEngine(): Promise<Engine> {
  engine ??= (async () => {
    const found = await cli.ensurePulumiCli();
    const command = await PulumiCommand.get({ root: path.dirname(found.binDir), skipVersionCheck: true });
    return { command, binDir: found.binDir, version: found.version, source: found.source };
  })();
  return engine;
}

export interface StackOptions {
  projectName: string;
  stackName: string;
  program: PulumiFn;
  /** The program directory: Pulumi.yaml goes here, and the dynamic-provider host runs here. */
  workDir: string;
  /** Any Pulumi backend URL; a file backend under workDir/state by default. */
  backendUrl?: string;
  /** The platform the provider targets (stack config omnitenant:endpoint / omnitenant:token). */
  endpoint?: string;
  token?: string;
  /** Extra stack config, plain values. */
  config?: Record<string, string>;
  /** Extra environment for the CLI and the provider host. */
  env?: Record<string, string>;
  /**
   * Record the state once, when the run ends, instead of after every step (PULUMI_SKIP_CHECKPOINTS):
   * the file backend rewrites the whole state at each step, which costs O(resources²). Safe for
   * stacks of omnitenant resources only (see README, "Checkpoints"); a PULUMI_SKIP_CHECKPOINTS in
   * the environment wins either way. Default false: the engine's own behaviour.
   */
  skipCheckpoints?: boolean;
}

/** Creates or selects a stack running an inline program, configured for the given platform. */
export async function openStack(options: StackOptions): Promise<Stack> {
  const { command, binDir } = await getEngine();
  fs.mkdirSync(options.workDir, { recursive: true });
  const backendUrl = options.backendUrl ?? `file://${path.join(options.workDir, "state")}`;
  // pulumiEnv creates the directory of a file backend; any other backend needs none.
  const stateDir = backendUrl.startsWith("file://") ? new URL(backendUrl).pathname : undefined;
  const checkpoints: Record<string, string> = options.skipCheckpoints && process.env.PULUMI_SKIP_CHECKPOINTS === undefined ? { PULUMI_SKIP_CHECKPOINTS: "true" } : {};
  const envVars = { ...cli.pulumiEnv(binDir, { stateDir }), PULUMI_BACKEND_URL: backendUrl, ...checkpoints, ...options.env };
  if (stateDir) removeTruncatedAttributes(stateDir);
  const stack = await LocalWorkspace.createOrSelectStack(
    { projectName: options.projectName, stackName: options.stackName, program: options.program },
    {
      workDir: options.workDir,
      pulumiCommand: command,
      envVars,
      projectSettings: { name: options.projectName, runtime: "nodejs", backend: { url: backendUrl } },
    },
  );
  const config: Record<string, { value: string; secret?: boolean }> = {};
  if (options.endpoint) config["omnitenant:endpoint"] = { value: options.endpoint };
  if (options.token) config["omnitenant:token"] = { value: options.token, secret: true };
  for (const [key, value] of Object.entries(options.config ?? {})) config[key] = { value };
  if (Object.keys(config).length > 0) await stack.setAllConfig(config);
  if (await clearStaleLocks(stack, backendUrl, options.projectName)) {
    // The killed run's creates are recorded as pending; drop them so that the next up runs them
    // again (the provider's idempotency keys return what the platform already made).
    await stack.refresh({ clearPendingCreates: true });
  }
  return stack;
}

/**
 * Turns per-step checkpoints off for the stack's later commands, as StackOptions.skipCheckpoints
 * does when the stack is opened (a PULUMI_SKIP_CHECKPOINTS in the environment, or given to
 * openStack, wins), for a caller that decides only once it has read the stack's state.
 */
export function skipCheckpointsFrom(stack: Stack): void {
  const env = stack.workspace.envVars;
  if (process.env.PULUMI_SKIP_CHECKPOINTS === undefined && env.PULUMI_SKIP_CHECKPOINTS === undefined) env.PULUMI_SKIP_CHECKPOINTS = "true";
}

/**
 * A kill can land while the file backend rewrites a checkpoint: the checkpoint is written to a
 * temporary file and renamed, but its `.attrs` sidecar (blob metadata) is written in place, and a
 * kill at that moment leaves it empty. Every later command then fails with "failed to load
 * checkpoint: EOF". Without the sidecar the blob simply has no attributes, so an empty one goes.
 */
export function removeTruncatedAttributes(stateDir: string): string[] {
  const removed: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".attrs") && fs.statSync(file).size === 0) {
        fs.rmSync(file);
        removed.push(file);
      }
    }
  };
  const stacks = path.join(stateDir, ".pulumi");
  if (fs.existsSync(stacks)) walk(stacks);
  return removed;
}

/**
 * A deployment killed in the middle leaves its lock in a file backend, and every later run would
 * refuse the stack. When each lock was taken on this host by a process that no longer exists, the
 * run is over for certain: cancel it, so that the next `up` finishes the work. A lock held by a live
 * process, or taken on another host, is left alone.
 */
export async function clearStaleLocks(stack: Stack, backendUrl: string, projectName: string): Promise<boolean> {
  const locks = stackLocks(backendUrl, projectName, stack.name);
  if (locks.length === 0 || !locks.every(isAbandoned)) return false;
  await stack.cancel();
  return true;
}
