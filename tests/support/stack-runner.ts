/**
 * Runs `pulumi up` of a test program in a process of its own, so that a test can kill it in the
 * middle of a deployment. Input: the JSON in OMNITENANT_RUNNER. Compiled to dist/ by `npm run build`.
 */
import * as path from "node:path";
import { openStack } from "../../automation/engine";
import { smallTenant, type SmallTenantVariant } from "./programs/small-tenant";

interface RunnerInput {
  workDir: string;
  stackName: string;
  projectName: string;
  endpoint: string;
  token: string;
  variant: SmallTenantVariant;
}

async function main() {
  const input = JSON.parse(process.env.OMNITENANT_RUNNER ?? "{}") as RunnerInput;
  const stack = await openStack({
    projectName: input.projectName,
    stackName: input.stackName,
    program: async () => smallTenant(input.variant),
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
