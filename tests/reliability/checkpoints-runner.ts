/**
 * `pulumi up` of a benchmark fleet without per-step checkpoints (PULUMI_SKIP_CHECKPOINTS=true), in
 * a process of its own so that tests/reliability/checkpoints.test.ts can kill it, with the Pulumi
 * CLI and the provider host, in the middle. Input: the JSON in OMNITENANT_CHECKPOINTS_RUNNER.
 * Prints `ready` once the stack is open (a killed run's lock cleared) and the up starts.
 */
import type { PulumiFn } from "@pulumi/pulumi/automation";
import { openStack } from "../../automation/engine";
import { fleetPlan, fleetProgram, omnitenantFactory } from "../bench/programs/fleet";

export interface CheckpointsRunnerInput {
  workDir: string;
  stackName: string;
  projectName: string;
  endpoint: string;
  token: string;
  resources: number;
  prefix: string;
  parallel: number;
}

export function fleetOf(input: Pick<CheckpointsRunnerInput, "resources" | "prefix">): PulumiFn {
  const plan = fleetPlan(input.resources, input.prefix);
  return async () => void fleetProgram(plan, omnitenantFactory, { dependOnTargets: true });
}

async function main() {
  const input = JSON.parse(process.env.OMNITENANT_CHECKPOINTS_RUNNER ?? "{}") as CheckpointsRunnerInput;
  const stack = await openStack({
    projectName: input.projectName,
    stackName: input.stackName,
    program: fleetOf(input),
    workDir: input.workDir,
    endpoint: input.endpoint,
    token: input.token,
    env: { PULUMI_SKIP_CHECKPOINTS: "true" },
  });
  process.stdout.write("ready\n");
  await stack.up({ parallel: input.parallel, onOutput: (s) => process.stdout.write(s) });
}

if (require.main === module) {
  main().catch((err: Error) => {
    console.error(err.message);
    process.exit(1);
  });
}
