/**
 * Runs `pulumi up` of a fleet in a process of its own, so that a reliability test can kill it (and
 * the Pulumi CLI with it) in the middle of a deployment. Input: the JSON in OMNITENANT_RUNNER.
 * Compiled to dist/ by `npm run build`.
 */
import * as path from "node:path";
import { openStack } from "../../../automation/engine";
import { fleetPlan, fleetProgram, omnitenantFactory } from "./fleet";

interface RunnerInput {
  workDir: string;
  stackName: string;
  projectName: string;
  endpoint: string;
  token: string;
  resources: number;
  prefix: string;
  config?: Record<string, string>;
}

async function main() {
  const input = JSON.parse(process.env.OMNITENANT_RUNNER ?? "{}") as RunnerInput;
  const plan = fleetPlan(input.resources, input.prefix);
  const stack = await openStack({
    projectName: input.projectName,
    stackName: input.stackName,
    program: async () => void fleetProgram(plan, omnitenantFactory, { dependOnTargets: true }),
    workDir: input.workDir,
    backendUrl: `file://${path.join(input.workDir, "state")}`,
    endpoint: input.endpoint,
    token: input.token,
    config: input.config,
  });
  await stack.up({ onOutput: (s) => process.stdout.write(s) });
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
