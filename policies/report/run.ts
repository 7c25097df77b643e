/**
 * Runs both policy packs on a stack through the Automation API — a preview, so nothing is created —
 * and builds the report from the engine's events. Works for any Automation API stack: an inline
 * program, or a project directory with a new or an existing stack.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Stack } from "@pulumi/pulumi/automation";
import { buildReport, type ReportEvent } from "./events";
import { renderJson, renderMarkdown } from "./markdown";
import type { PackRun, PolicyReport } from "./model";

export const packNames = ["least-privilege", "quotas"] as const;
export type PackName = (typeof packNames)[number];

/** The repository (or installed package) root: the directory holding policies/<pack>/PulumiPolicy.yaml. */
export function packagesRoot(from = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "policies", "least-privilege", "PulumiPolicy.yaml"))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the omnitenant policy packs above ${from}`);
  }
}

export interface PackLocation extends PackRun {
  dir: string;
}

/** Where each pack is, its version, and a clear error when it has not been compiled yet. */
export function locatePacks(root = packagesRoot()): PackLocation[] {
  return packNames.map((name) => {
    const dir = join(root, "policies", name);
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version: string; main: string };
    if (!existsSync(resolve(dir, pkg.main))) {
      throw new Error(`policy pack ${name} is not compiled (${resolve(dir, pkg.main)} is missing): run npm run build in ${root}`);
    }
    return { name, version: pkg.version, dir };
  });
}

export interface ReportRunOptions {
  stack: Stack;
  /** JSON policy config files per pack, as for `pulumi preview --policy-pack-config`. */
  configs?: Partial<Record<PackName, string>>;
  onOutput?: (out: string) => void;
  /** Every engine event, for a caller that keeps them (tests capture fixtures this way). */
  onEvent?: (e: ReportEvent) => void;
}

export async function runPolicyReport(opts: ReportRunOptions): Promise<PolicyReport> {
  const packs = locatePacks();
  const events: ReportEvent[] = [];
  // The CLI pairs --policy-pack-config files with packs by position, so every pack gets a file.
  const scratch = mkdtempSync(join(tmpdir(), "omnitenant-policy-config-"));
  const configFiles = packs.map((p) => {
    const given = opts.configs?.[p.name as PackName];
    if (given) return resolve(given);
    const empty = join(scratch, `${p.name}.json`);
    writeFileSync(empty, "{}\n");
    return empty;
  });
  let failure: string | undefined;
  try {
    await opts.stack.preview({
      policyPacks: packs.map((p) => p.dir),
      policyPackConfigs: configFiles,
      color: "never",
      onOutput: opts.onOutput,
      onEvent: (e) => {
        events.push(e as ReportEvent);
        opts.onEvent?.(e as ReportEvent);
      },
    });
  } catch (e) {
    failure = e instanceof Error ? e.message : String(e);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const project = (await opts.stack.workspace.projectSettings()).name;
  return buildReport(events, { stack: opts.stack.name, project, packs, failure });
}

/** Writes `<base>.md` and `<base>.json`; returns their paths. */
export function writeReport(report: PolicyReport, base: string): { markdown: string; json: string } {
  const markdown = `${base}.md`;
  const json = `${base}.json`;
  mkdirSync(dirname(resolve(markdown)), { recursive: true });
  writeFileSync(markdown, renderMarkdown(report));
  writeFileSync(json, renderJson(report));
  return { markdown, json };
}
