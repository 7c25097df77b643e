/** `omnitenant drift CATALOGUE`: what changed outside Pulumi in every customer, without running the engine. */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Command } from "commander";
import { loadCatalogue } from "../automation/catalogue";
import { defaultDriftConcurrency, drift } from "../automation/drift";
import { driftText } from "../automation/drift-display";
import { driftReportName, writeReportPage } from "../automation/report-html";
import { positiveInt } from "./options";

interface Options {
  concurrency: number;
  backend?: string;
  endpoint?: string;
  json: boolean;
  report?: string | true;
}

/** Exit codes: 0 nothing drifted, 2 something drifted, 1 the check failed (for a customer or at all). */
export function registerDrift(program: Command): void {
  program
    .command("drift")
    .description("Report what changed outside Pulumi in every customer of a reseller catalogue: changed, deleted and unmanaged objects, failed or interrupted runs. Reads each stack's state and lists the platform's objects; runs no engine.")
    .argument("<catalogue>", "the catalogue file")
    .option("--backend <url>", "Pulumi backend URL (default PULUMI_BACKEND_URL, else the file backend in .omnitenant/provision/state)")
    .option("--endpoint <url>", "platform API (default OMNITENANT_ENDPOINT, else .omnitenant/platform.json, else the local platform); the token comes from OMNITENANT_TOKEN or that file")
    .option("--concurrency <n>", "customers checked at once", positiveInt, defaultDriftConcurrency)
    .option("--json", "print the JSON report (docs/schemas/drift-report.schema.json) instead of text", false)
    .option("--report [file]", `also write the JSON report (default .omnitenant/${driftReportName}) and report.html beside it`)
    .action(async (file: string, opts: Options) => {
      let report;
      try {
        const catalogue = loadCatalogue(file);
        report = await drift(catalogue, { backendUrl: opts.backend, endpoint: opts.endpoint, concurrency: opts.concurrency });
      } catch (e) {
        process.stderr.write(`omnitenant drift: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exitCode = 1;
        return;
      }
      process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${driftText(report)}\n`);
      if (opts.report) {
        const jsonFile = opts.report === true ? path.join(".omnitenant", driftReportName) : opts.report;
        fs.mkdirSync(path.dirname(path.resolve(jsonFile)), { recursive: true });
        fs.writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
        const page = writeReportPage(path.dirname(path.resolve(jsonFile)), { drift: report });
        process.stderr.write(`report: ${jsonFile}, ${path.relative(process.cwd(), page)}\n`);
      }
      process.exitCode = report.errors ? 1 : report.drifted ? 2 : 0;
    });
}
