/** The `omnitenant` command. Each subcommand lives in its own file and registers itself here. */
import { Command } from "commander";
import { join } from "node:path";
import { registerDrift } from "./drift";
import { registerPlatform } from "./platform";
import { registerPolicyReport } from "./policy-report";
import { registerProvision } from "./provision";

export function buildProgram(): Command {
  const program = new Command("omnitenant").description("Infrastructure as code for multi-tenant contact-center and cloud-PBX platforms.");
  registerPlatform(program);
  registerPolicyReport(program);
  registerProvision(program);
  registerDrift(program);
  return program;
}

/** Runs when executed (node dist/cli/index.js) or required by bin/omnitenant.js; not when imported. */
const entry = require.main?.filename ?? "";
if (require.main === module || entry.endsWith(join("bin", "omnitenant.js"))) {
  buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`omnitenant: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    });
}
