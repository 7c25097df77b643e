/**
 * `omnitenant policy-report`: both policy packs on a Pulumi project's stack (a preview, so nothing
 * is deployed), written as Markdown and JSON. Exits 1 when the report fails, so CI can gate on it.
 */
import type { Command } from "commander";
import { resolve } from "node:path";
import { openProjectStack } from "../automation/project";
import { runPolicyReport, writeReport } from "../policies/report/run";

interface Options {
  dir: string;
  stack: string;
  create: boolean;
  leastPrivilegeConfig?: string;
  quotasConfig?: string;
  out: string;
}

export function registerPolicyReport(program: Command): void {
  program
    .command("policy-report")
    .description("Run the least-privilege and quotas policy packs on a program's stack (a preview: nothing is deployed) and write a compliance report in Markdown and JSON.")
    .option("--dir <dir>", "the Pulumi project directory (with Pulumi.yaml)", ".")
    .requiredOption("--stack <name>", "the stack to check, as `pulumi stack ls` names it")
    .option("--create", "create the stack when it does not exist (to check a program before its first deployment)", false)
    .option("--least-privilege-config <file>", "policy config for least-privilege, as for pulumi --policy-pack-config")
    .option("--quotas-config <file>", "policy config for quotas (e.g. the plan catalogue)")
    .option("--out <base>", "report path without extension: writes <base>.md and <base>.json", "policy-report")
    .action(async (opts: Options) => {
      const workDir = resolve(opts.dir);
      const stack = await openProjectStack(workDir, opts.stack, opts.create);
      process.stdout.write(`Previewing ${opts.stack} in ${workDir} with the least-privilege and quotas packs…\n`);
      const report = await runPolicyReport({
        stack,
        configs: { "least-privilege": opts.leastPrivilegeConfig, quotas: opts.quotasConfig },
      });
      const files = writeReport(report, opts.out);
      const s = report.summary;
      process.stdout.write(
        `${s.result.toUpperCase()}: ${s.resourcesChecked} resources checked, ${s.mandatory} mandatory and ${s.advisory} advisory violations` +
          `${report.errors.length ? `, ${report.errors.length} errors` : ""}.\nReport: ${files.markdown} and ${files.json}\n`,
      );
      if (s.result === "fail") process.exitCode = 1;
    });
}
