/** `omnitenant provision CATALOGUE`: one stack per customer of a reseller catalogue. */
import type { Command } from "commander";
import { CatalogueError, loadCatalogue } from "../automation/catalogue";
import { defaultConcurrency, provision } from "../automation/provision";
import { chooseDisplay, summaryTable, writeReport } from "../automation/provision-display";
import { writeProvisionPage } from "../automation/report-page";
import { positiveInt } from "./options";

interface Options {
  concurrency: number;
  dryRun: boolean;
  offboard: boolean;
  force: boolean;
  backend?: string;
  endpoint?: string;
  report: string;
  policyConfig?: string;
  policyPacks: boolean;
  json: boolean;
}

/** Exit codes: 0 all customers fine, 1 a customer failed, 2 the catalogue or the run could not start. */
export function registerProvision(program: Command): void {
  program
    .command("provision")
    .description("Provision, update and (with --offboard) offboard customer tenants from a reseller catalogue (YAML or JSON), one Pulumi stack per customer.")
    .argument("<catalogue>", "the catalogue file")
    .option("--concurrency <n>", "customers deployed at once", positiveInt, defaultConcurrency)
    .option("--dry-run", "preview every customer, change nothing", false)
    .option("--offboard", "destroy and remove the stacks of customers no longer in the catalogue", false)
    .option("--force", "run the engine for every customer, also those unchanged since their last successful deployment", false)
    .option("--backend <url>", "Pulumi backend URL (default PULUMI_BACKEND_URL, else a file backend in .omnitenant/provision/state)")
    .option("--endpoint <url>", "platform API (default OMNITENANT_ENDPOINT, else .omnitenant/platform.json, else the local platform); the token comes from OMNITENANT_TOKEN or that file")
    .option("--report <file>", "where the JSON report goes; report.html is written beside it", ".omnitenant/provision-report.json")
    .option("--policy-config <file>", "policy config for both packs (policy name → config); the quotas pack gets the catalogue's plans")
    .option("--no-policy-packs", "do not run the policy packs")
    .option("--json", "print the JSON report (docs/schemas/provision-report.schema.json) instead of the summary table", false)
    .action(async (file: string, opts: Options) => {
      let catalogue;
      try {
        catalogue = loadCatalogue(file);
      } catch (e) {
        if (!(e instanceof CatalogueError)) throw e;
        process.stderr.write(`omnitenant provision: ${e.message}\n`);
        process.exitCode = 2;
        return;
      }
      const display = chooseDisplay();
      let report;
      try {
        report = await provision(catalogue, {
          concurrency: opts.concurrency,
          dryRun: opts.dryRun,
          offboard: opts.offboard,
          force: opts.force,
          backendUrl: opts.backend,
          endpoint: opts.endpoint,
          policyConfigFile: opts.policyConfig,
          policyPacks: opts.policyPacks ? undefined : false,
          onProgress: (e) => display.onProgress(e),
        });
      } finally {
        display.stop();
      }
      writeReport(opts.report, report);
      const page = await writeProvisionPage(opts.report, report, { endpoint: opts.endpoint });
      if (opts.json) {
        // stdout is the report alone, for a reseller's own tools; where it was written goes to stderr.
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        process.stderr.write(`report: ${opts.report}, ${page}\n`);
      } else {
        process.stdout.write(`\n${summaryTable(report)}\n\nreport: ${opts.report}, ${page}\n`);
        if (!report.ok) process.stdout.write("Some customers failed; the others were provisioned. Fix them and run again: finished customers will not change.\n");
      }
      process.exitCode = report.ok ? 0 : 1;
    });
}
