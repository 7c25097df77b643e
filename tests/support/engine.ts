/**
 * End-to-end harness: runs inline Pulumi programs through the real Pulumi CLI (Automation API)
 * against a local platform, each stack in its own directory under .omnitenant/test-stacks so
 * that the dynamic-provider host resolves `omnitenant` and `@pulumi/pulumi` from the repo.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { randomBytes } from "node:crypto";
import { spawnSync } from "node:child_process";
import type { LocalWorkspace, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { openStack } from "../../automation/engine";

export const repoRoot = path.resolve(__dirname, "..", "..");
export const testStacksDir = path.join(repoRoot, ".omnitenant", "test-stacks");

export interface TestStackOptions {
  program: PulumiFn;
  platform: { url: string; operatorToken: string };
  /** Prefix of the stack name; a random suffix keeps stacks apart. */
  name?: string;
  /** Reopen an existing test stack (its directory and state) instead of making a new one. */
  id?: string;
  config?: Record<string, string>;
  env?: Record<string, string>;
}

export interface TestStack {
  id: string;
  stack: Stack;
  workDir: string;
  /** The deployment as `pulumi stack export` prints it (secrets encrypted). */
  exportText(): Promise<string>;
  /** Destroys what is left and removes the stack's directory. */
  dispose(): Promise<void>;
}

/** Collects the engine's output, so that a failing test can print what Pulumi said. */
export function outputCollector() {
  const lines: string[] = [];
  return { onOutput: (s: string) => lines.push(s), text: () => lines.join("") };
}

export async function createTestStack(options: TestStackOptions): Promise<TestStack> {
  const id = options.id ?? `${options.name ?? "e2e"}-${randomBytes(4).toString("hex")}`;
  const workDir = path.join(testStacksDir, id);
  const stack = await openStack({
    projectName: "omnitenant-e2e",
    stackName: id,
    program: options.program,
    workDir,
    endpoint: options.platform.url,
    token: options.platform.operatorToken,
    config: options.config,
    env: options.env,
  });
  return {
    id,
    stack,
    workDir,
    exportText: async () => {
      // Not stack.exportStack(): the Automation API asks for decrypted secrets (--show-secrets).
      const workspace = stack.workspace as LocalWorkspace;
      const out = spawnSync(workspace.pulumiCommand.command, ["stack", "export", "--stack", id], {
        cwd: workDir,
        encoding: "utf8",
        env: { ...process.env, ...workspace.envVars },
        timeout: 60_000,
        killSignal: "SIGKILL",
      });
      if (out.status !== 0) throw new Error(`pulumi stack export failed: ${out.stderr}`);
      return out.stdout;
    },
    dispose: async () => {
      try {
        await stack.destroy();
        await stack.workspace.removeStack(stack.name);
      } finally {
        fs.rmSync(workDir, { recursive: true, force: true });
      }
    },
  };
}
