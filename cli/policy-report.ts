/**
 * `omnitenant policy-report`: both policy packs on a Pulumi project's stack (a preview, so nothing
 * is deployed), written as Markdown and JSON. Exits 1 when the report fails, so CI can gate on it.
 */
import type { Command } from "commander";
import { resolve } from "node:path";
import { openProjectStack } from "../automation/project";
import { parseFormats, reportFormats, runPolicyReport, writeReport, type ReportFormat } from "../policies/report/run";

interface Options {
  dir: string;
  stack: string;
  create: boolean;
  leastPrivilegeConfig?: string;
  quotasConfig?: string;
  out: string;
  format: ReportFormat[];
}

export function registerPolicyReport(program: Command): void {
  program
    .command("policy-report")
    .description("Run the least-privilege and quotas policy packs on a program's stack (a preview: nothing is deployed) and write a compliance report (Markdown and JSON by default; SARIF, HTML).")
    .option("--dir <dir>", "the Pulumi project directory (with Pulumi.yaml)", ".")
    .requiredOption("--stack <name>", "the stack to check, as `pulumi stack ls` names it")
    .option("--create", "create the stack when it does not exist (to check a program before its first deployment)", false)
    .option("--least-privilege-config <file>", "policy config for least-privilege, as for pulumi --policy-pack-config")
    .option("--quotas-config <file>", "policy config for quotas (e.g. the plan catalogue)")
    .option("--out <base>", "report path without extension: writes <base>.md, <base>.json, <base>.sarif, <base>.html by format", "policy-report")
    .option("--format <list>", `report formats, comma-separated: ${reportFormats.join(", ")} (SARIF 2.1.0 for CI and code scanning; HTML is one self-contained page)`, parseFormats, ["markdown", "json"] as ReportFormat[])
    .action(async (opts: Options) => {
      const workDir = resolve(opts.dir);
      const stack = await openProjectStack(workDir, opts.stack, opts.create);
      process.stdout.write(`Previewing ${opts.stack} in ${workDir} with the least-privilege and quotas packs…\n`);
      const report = await runPolicyReport({
        stack,
        configs: { "least-privilege": opts.leastPrivilegeConfig, quotas: opts.quotasConfig },
      });
      const files = Object.values(writeReport(report, opts.out, opts.format));
      const s = report.summary;
      process.stdout.write(
        `${s.result.toUpperCase()}: ${s.resourcesChecked} resources checked, ${s.mandatory} mandatory and ${s.advisory} advisory violations` +
          `${report.errors.length ? `, ${report.errors.length} errors` : ""}.\n${report.errors.map((e) => `  error: ${e}\n`).join("")}Report: ${files.join(", ")}\n`,
      );
      if (s.result === "fail") process.exitCode = 1;
    });
}
