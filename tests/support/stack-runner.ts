/**
 * Runs `pulumi up` of a test program in a process of its own, so that a test can kill it (and the
 * Pulumi CLI with it) in the middle of a deployment. Input: the JSON in OMNITENANT_RUNNER, naming
 * the program — the small tenant (with its variant) or a benchmark fleet (its size and prefix).
 * Compiled to dist/ by `npm run build`.
 */
import * as path from "node:path";
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { openStack } from "../../automation/engine";
import { fleetPlan, fleetProgram, omnitenantFactory } from "../bench/programs/fleet";
import { smallTenant, type SmallTenantVariant } from "./programs/small-tenant";

export type RunnerProgram = { kind: "small-tenant"; variant: SmallTenantVariant } | { kind: "fleet"; resources: number; prefix: string };

export interface RunnerInput {
  workDir: string;
  stackName: string;
  projectName: string;
  endpoint: string;
  token: string;
  program: RunnerProgram;
}

function programOf(p: RunnerProgram): PulumiFn {
  if (p.kind === "small-tenant") return async () => smallTenant(p.variant);
  const plan = fleetPlan(p.resources, p.prefix);
  return async () => void fleetProgram(plan, omnitenantFactory, { dependOnTargets: true });
}

async function main() {
  const input = JSON.parse(process.env.OMNITENANT_RUNNER ?? "{}") as RunnerInput;
  const stack = await openStack({
    projectName: input.projectName,
    stackName: input.stackName,
    program: programOf(input.program),
    workDir: input.workDir,
    backendUrl: `file://${path.join(input.workDir, "state")}`,
    endpoint: input.endpoint,
    token: input.token,
  });
  await stack.up({ onOutput: (s) => process.stdout.write(s) });
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
