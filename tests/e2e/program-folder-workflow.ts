/**
 * A program folder driven exactly as a user drives it, with the `pulumi` command: stack init,
 * config set (the token with --secret), up, preview with both policy packs, destroy. The CLI is
 * the one omnitenant found or built, with Pulumi's Node.js language host beside it.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import cli = require("../../scripts/pulumi-cli");

export interface PulumiRun {
  status: number | null;
  stdout: string;
  /** stdout and stderr. */
  output: string;
}

export interface Workflow {
  /** Asynchronous: the platform the program talks to may run in this very process. */
  pulumi(args: string[]): Promise<PulumiRun>;
  binDir: string;
  languageHost: boolean;
}

/** `pulumi` in `dir`, with a file backend in `stateDir` and a passphrase for secrets; `envOverrides` set (or, undefined, remove) variables. */
export async function workflow(dir: string, stateDir: string, envOverrides: Record<string, string | undefined> = {}): Promise<Workflow> {
  const engine = await cli.ensurePulumiCli();
  fs.mkdirSync(stateDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${engine.binDir}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "omnitenant-program-folder-test",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...(engine.home ? { PULUMI_HOME: engine.home } : {}),
  };
  for (const [key, value] of Object.entries(envOverrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  const languageHost = [engine.binDir, ...(process.env.PATH ?? "").split(path.delimiter)].some((d) => fs.existsSync(path.join(d, "pulumi-language-nodejs")));
  return {
    binDir: engine.binDir,
    languageHost,
    pulumi: (args) =>
      new Promise((resolve, reject) => {
        const child = spawn(engine.pulumi, [...args, "--non-interactive"], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c) => (stdout += c));
        child.stderr.on("data", (c) => (stderr += c));
        child.on("error", reject);
        child.on("close", (status) => resolve({ status, stdout, output: `${stdout}\n${stderr}` }));
      }),
  };
}

/** What `npm install <this checkout>` makes in a program folder: node_modules/omnitenant linked to the checkout. */
export function linkOmnitenant(dir: string, checkout: string): void {
  fs.mkdirSync(path.join(dir, "node_modules"), { recursive: true });
  fs.symlinkSync(checkout, path.join(dir, "node_modules", "omnitenant"), "dir");
}

/** Fails with what pulumi printed when it did not exit 0. */
export function expectOk(run: PulumiRun): void {
  if (run.status !== 0) throw new Error(`pulumi exited with ${run.status}:\n${run.output.slice(-4000)}`);
}
