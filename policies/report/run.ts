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
import { policyCatalog } from "./catalog";
import { renderHtml } from "./html";
import { renderJson, renderMarkdown } from "./markdown";
import { renderSarif } from "./sarif";
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

export const reportFormats = ["markdown", "json", "sarif", "html"] as const;
export type ReportFormat = (typeof reportFormats)[number];
const extensions: Record<ReportFormat, string> = { markdown: "md", json: "json", sarif: "sarif", html: "html" };

/** `markdown,json` → the formats, with an error naming the bad one and the choices. */
export function parseFormats(value: string): ReportFormat[] {
  const formats = value.split(",").map((f) => f.trim().toLowerCase()).filter(Boolean);
  const bad = formats.find((f) => !(reportFormats as readonly string[]).includes(f));
  if (bad !== undefined || formats.length === 0) {
    throw new Error(`--format: ${JSON.stringify(bad ?? value)} is not a report format; use one or more of ${reportFormats.join(", ")}, comma-separated`);
  }
  return [...new Set(formats)] as ReportFormat[];
}

export function renderReport(report: PolicyReport, format: ReportFormat): string {
  switch (format) {
    case "markdown":
      return renderMarkdown(report);
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report, policyCatalog());
    case "html":
      return renderHtml(report);
  }
}

/** Writes `<base>.<ext>` for each format (Markdown and JSON by default); returns the paths by format. */
export function writeReport(report: PolicyReport, base: string, formats: ReportFormat[] = ["markdown", "json"]): Partial<Record<ReportFormat, string>> {
  mkdirSync(dirname(resolve(base)), { recursive: true });
  const written: Partial<Record<ReportFormat, string>> = {};
  for (const format of formats) {
    const file = `${base}.${extensions[format]}`;
    writeFileSync(file, renderReport(report, format));
    written[format] = file;
  }
  return written;
}
