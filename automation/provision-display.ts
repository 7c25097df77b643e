/**
 * How provisioning shows itself: on a terminal, a live bar per running customer and an overall bar
 * (cli-progress), with finished customers printed above them; elsewhere (CI, pipes) one plain
 * line per event. Then a summary table, and the JSON report for the reseller's own systems.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { CustomerResult, ProgressEvent, ProvisionReport } from "./provision-types";

export interface Display {
  onProgress(e: ProgressEvent): void;
  stop(): void;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

/** `3 created, 1 updated` from the engine's operation counts. */
export function describeChanges(changes: Record<string, number>): string {
  const parts = Object.entries(changes)
    .filter(([op, n]) => op !== "same" && n > 0)
    .map(([op, n]) => `${n} ${op === "create" ? "created" : op === "update" ? "updated" : op === "delete" ? "deleted" : op === "replace" ? "replaced" : op}`);
  return parts.length ? parts.join(", ") : "no changes";
}

function detail(r: CustomerResult): string {
  if (r.state === "failed") {
    const v = r.violations?.filter((x) => x.level === "mandatory").length ?? 0;
    return (v ? `${v} policy violation${v > 1 ? "s" : ""}` : r.error ?? "failed").split("\n")[0];
  }
  return r.note ?? r.outputs?.portalUrl ?? "";
}

export function resultLine(r: CustomerResult): string {
  return `${r.id}: ${r.state}${r.state === "failed" || r.state === "skipped" ? "" : ` (${describeChanges(r.changes)})`} in ${seconds(r.durationMs)}${detail(r) ? ` — ${detail(r)}` : ""}`;
}

/** Plain lines, for logs and CI. */
export function plainDisplay(write: (line: string) => void): Display {
  let total = 0;
  let done = 0;
  return {
    onProgress(e) {
      if (e.type === "plan") {
        total = e.customers.length + e.orphans.length;
        write(`provisioning ${e.customers.length} customers${e.orphans.length ? `, ${e.orphans.length} no longer in the catalogue (${e.orphans.join(", ")})` : ""}`);
      } else if (e.type === "start") {
        write(`${e.id}: ${e.phase} (${e.total} resources)`);
      } else if (e.type === "done") {
        write(`[${++done}/${total}] ${resultLine(e.result)}`);
      }
    },
    stop() {},
  };
}

/** Live bars on a terminal. */
export function ttyDisplay(stream: NodeJS.WriteStream = process.stderr): Display {
  const multi = new MultiBar(
    { stream, format: "{name} {bar} {value}/{total} {unit} {info}", barsize: 24, hideCursor: true, clearOnComplete: false, autopadding: true },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  let overall: SingleBar | undefined;
  const counts = new Map<string, number>();
  const width = { name: 8 };
  const pad = (s: string) => s.padEnd(width.name);
  const summary = () => [...counts].map(([s, n]) => `${n} ${s}`).join(", ");
  return {
    onProgress(e) {
      if (e.type === "plan") {
        width.name = Math.max(8, ...[...e.customers, ...e.orphans].map((c) => c.length));
        overall = multi.create(e.customers.length + e.orphans.length, 0, { name: pad("overall"), unit: "customers", info: "" });
      } else if (e.type === "start") {
        bars.set(e.id, multi.create(Math.max(e.total, 1), 0, { name: pad(e.id), unit: "resources", info: e.phase }));
      } else if (e.type === "resource") {
        bars.get(e.id)?.update(e.done);
      } else if (e.type === "done") {
        const bar = bars.get(e.result.id);
        if (bar) multi.remove(bar);
        bars.delete(e.result.id);
        multi.log(`${resultLine(e.result)}\n`);
        counts.set(e.result.state, (counts.get(e.result.state) ?? 0) + 1);
        overall?.increment(1, { info: summary() });
      }
    },
    stop() {
      multi.stop();
    },
  };
}

export function chooseDisplay(write: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Display {
  return process.stderr.isTTY && !process.env.CI ? ttyDisplay() : plainDisplay(write);
}

/** The summary table, then each failure's details (catalogue errors, policy violations). */
export function summaryTable(report: ProvisionReport): string {
  const rows = report.customers.map((r) => [r.id, r.state, r.state === "failed" || r.state === "skipped" ? "" : describeChanges(r.changes), seconds(r.durationMs), detail(r)]);
  const head = ["CUSTOMER", "STATE", "CHANGES", "TIME", "DETAIL"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd();
  const out = [line(head), ...rows.map(line)];
  const counts = Object.entries(report.counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s}`);
  out.push("", `${report.dryRun ? "dry run: " : ""}${counts.join(", ") || "no customers"} in ${seconds(report.durationMs)} (concurrency ${report.concurrency}${report.policyPacks.length ? `, policy packs ${report.policyPacks.join(", ")}` : ", no policy packs"})`);
  for (const r of report.customers.filter((c) => c.state === "failed")) {
    out.push("", `${r.id} failed:`);
    for (const i of r.issues ?? []) out.push(`  ${i}`);
    for (const v of r.violations ?? []) out.push(`  [${v.pack}/${v.policy}] ${v.resource ? `${v.resource}: ` : ""}${v.message.replace(/\n+/g, "\n    ")}`);
    if (!r.issues?.length && !r.violations?.length && r.error) out.push(...r.error.split("\n").map((l) => `  ${l}`));
  }
  return out.join("\n");
}

export function writeReport(file: string, report: ProvisionReport): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}
