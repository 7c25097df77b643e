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
}

/** Creates or selects a stack running an inline program, configured for the given platform. */
export async function openStack(options: StackOptions): Promise<Stack> {
  const { command, binDir } = await getEngine();
  fs.mkdirSync(options.workDir, { recursive: true });
  const stateDir = path.join(options.workDir, "state");
  const backendUrl = options.backendUrl ?? `file://${stateDir}`;
  const envVars = { ...cli.pulumiEnv(binDir, { stateDir }), PULUMI_BACKEND_URL: backendUrl, ...options.env };
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
  return stack;
}
