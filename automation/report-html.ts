/**
 * The fleet report page: one self-contained HTML file (inline style and script, no fonts, images or
 * requests; its Content-Security-Policy forbids any) built from the last provision report and the
 * last drift report. Rows are rendered here, so the page reads without script; the script only
 * sorts and filters.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { capabilityUsage } from "./drift-usage";
import type { CapabilityUsage, CustomerDrift, DriftReport } from "./drift-types";
import type { CustomerResult, ProvisionReport } from "./provision-types";

export const reportPageName = "report.html";

export interface ReportInput {
  provision?: ProvisionReport;
  drift?: DriftReport;
  /** Usage per customer id when no drift report gives it (provision lists the tenants once). */
  usage?: Record<string, CapabilityUsage[]>;
  generatedAt?: Date;
}

/** What a row is filtered and sorted by: the most pressing of its provision and drift states. */
export type RowStatus = "failed" | "drifted" | "error" | "not-deployed" | "created" | "updated" | "unchanged" | "offboarded" | "skipped" | "in-sync";
const statusOrder: RowStatus[] = ["failed", "drifted", "error", "not-deployed", "created", "updated", "unchanged", "offboarded", "skipped", "in-sync"];

export interface ReportRow {
  id: string;
  status: RowStatus;
  fqdn?: string;
  plan?: string;
  provision?: CustomerResult;
  drift?: CustomerDrift;
  lastRun?: { at?: string; what: string; durationMs?: number };
  usage: CapabilityUsage[];
}

export function reportRows(input: ReportInput): ReportRow[] {
  const ids: string[] = [];
  const add = (id: string) => ids.includes(id) || ids.push(id);
  for (const c of input.provision?.customers ?? []) add(c.id);
  for (const c of input.drift?.customers ?? []) add(c.id);
  return ids.map((id) => {
    const p = input.provision?.customers.find((c) => c.id === id);
    const d = input.drift?.customers.find((c) => c.id === id);
    let status: RowStatus;
    if (p?.state === "failed") status = "failed";
    else if (d && d.state !== "in-sync") status = d.state;
    else status = p?.state ?? d!.state;
    const lastRun = p
      ? { at: input.provision!.finishedAt, what: `provision: ${p.state}`, durationMs: p.durationMs }
      : d?.lastRun
        ? { at: d.lastRun.endTime ?? d.lastRun.startTime, what: `${d.lastRun.kind}: ${d.lastRun.result}`, durationMs: d.lastRun.durationMs }
        : undefined;
    return {
      id,
      status,
      fqdn: d?.fqdn ?? p?.outputs?.fqdn,
      plan: d?.plan,
      provision: p,
      drift: d,
      lastRun,
      usage: d?.usage ?? input.usage?.[id] ?? [],
    };
  });
}

const esc = (s: unknown) =>
  String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const seconds = (ms?: number) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(1)} s`);
const short = (v: unknown) => {
  const s = v === undefined ? "—" : JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};

function changesCell(p?: CustomerResult): { html: string; n: number } {
  if (!p) return { html: "—", n: 0 };
  const entries = Object.entries(p.changes).filter(([op, n]) => op !== "same" && n > 0);
  const n = entries.reduce((s, [, k]) => s + k, 0);
  return { html: entries.length ? entries.map(([op, k]) => `${esc(op)} ${k}`).join(", ") : "none", n };
}

function driftCell(d?: CustomerDrift): { html: string; n: number } {
  if (!d) return { html: "not checked", n: 0 };
  const items: string[] = [];
  if (d.error) items.push(`<li class="err">error [${esc(d.error.code)}]: ${esc(d.error.message)}</li>`);
  if (d.lastRunProblem) items.push(`<li>last run ${esc(d.lastRunProblem)}</li>`);
  for (const o of d.changed) {
    const fields = o.pendingApply ? "staged change not applied" : o.fields.map((f) => (f.secret ? `${esc(f.field)} (secret)` : `${esc(f.field)}: ${esc(short(f.declared))} → ${esc(short(f.actual))}`)).join("; ");
    items.push(`<li>changed ${esc(o.kind)} <b>${esc(o.name)}</b>: ${fields}</li>`);
  }
  for (const o of d.deleted) items.push(`<li>deleted ${esc(o.kind)} <b>${esc(o.name)}</b></li>`);
  for (const o of d.unmanaged) items.push(`<li>unmanaged ${esc(o.kind)} <b>${esc(o.key)}</b></li>`);
  const n = d.changed.length + d.deleted.length + d.unmanaged.length + (d.lastRunProblem ? 1 : 0);
  return { html: items.length ? `<ul>${items.join("")}</ul>` : d.state === "not-deployed" ? "no stack" : "in sync", n };
}

function violationsCell(p?: CustomerResult): { html: string; n: number } {
  const v = p?.violations ?? [];
  if (!v.length) return { html: p ? "none" : "—", n: 0 };
  return { html: `<ul>${v.map((x) => `<li class="${x.level}">${esc(x.level)} ${esc(x.policy)}${x.resource ? ` (${esc(x.resource)})` : ""}: ${esc(x.message)}</li>`).join("")}</ul>`, n: v.length };
}

function usageCell(usage: CapabilityUsage[]): string {
  if (!usage.length) return "—";
  return usage
    .map((u) => {
      const pct = u.used === undefined ? 0 : u.limit > 0 ? Math.min(100, (u.used / u.limit) * 100) : u.used > 0 ? 100 : 0;
      const level = pct >= 100 ? "full" : pct >= 80 ? "high" : "ok";
      const text = u.used === undefined ? `limit ${u.limit} (usage not reported)` : `${u.used} / ${u.limit}`;
      return `<div class="cap" data-capability="${esc(u.capability)}"><span class="cap-name">${esc(u.capability)}</span><span class="bar${u.used === undefined ? " unknown" : ""}" title="${esc(text)}"><span class="fill ${level}" style="width:${pct.toFixed(1)}%" data-pct="${pct.toFixed(1)}"></span></span><span class="cap-text">${esc(text)}</span></div>`;
    })
    .join("");
}

export function renderReportPage(input: ReportInput): string {
  const rows = reportRows(input);
  const generated = (input.generatedAt ?? new Date()).toISOString();
  const reseller = input.provision?.reseller ?? input.drift?.reseller ?? "";
  const count = (s: RowStatus) => rows.filter((r) => r.status === s).length;
  const violations = rows.reduce((n, r) => n + (r.provision?.violations?.length ?? 0), 0);
  const dk = input.drift?.counts;
  const cards: Array<[string, string | number, string]> = [
    ["customers", rows.length, "all"],
    ["failed", count("failed"), "failed"],
    ["drifted", count("drifted"), "drifted"],
    ["in sync", input.drift ? rows.filter((r) => r.drift?.state === "in-sync" && r.status !== "failed").length : "—", "in-sync"],
    ["not deployed", count("not-deployed"), "not-deployed"],
    ["policy violations", violations, ""],
    ["objects changed / deleted / unmanaged", dk ? `${dk.changed} / ${dk.deleted} / ${dk.unmanaged}` : "—", ""],
  ];
  const states = statusOrder.filter((s) => rows.some((r) => r.status === s));
  const body = rows
    .map((r) => {
      const ch = changesCell(r.provision);
      const dr = driftCell(r.drift);
      const vi = violationsCell(r.provision);
      return `<tr class="row status-${r.status}" data-status="${r.status}" data-id="${esc(r.id)}">
<td data-key="${esc(r.id)}"><b>${esc(r.id)}</b>${r.drift?.orphaned ? ' <span class="tag">not in catalogue</span>' : ""}<div class="sub">${esc(r.fqdn ?? "")}${r.plan ? ` · plan ${esc(r.plan)}` : ""}</div></td>
<td data-key="${statusOrder.indexOf(r.status)}"><span class="badge ${r.status}">${esc(r.status)}</span></td>
<td data-key="${esc(r.lastRun?.at ?? "")}">${r.lastRun ? `${esc(r.lastRun.what)}<div class="sub">${esc(r.lastRun.at ?? "")}</div>` : "—"}</td>
<td data-key="${r.lastRun?.durationMs ?? -1}" class="num">${seconds(r.lastRun?.durationMs)}</td>
<td data-key="${ch.n}">${ch.html}</td>
<td data-key="${dr.n}" class="drift">${dr.html}</td>
<td data-key="${vi.n}">${vi.html}</td>
<td class="usage">${usageCell(r.usage)}</td>
</tr>`;
    })
    .join("\n");
  const unmanagedTenants = input.drift?.unmanagedTenants ?? [];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>omnitenant fleet report — ${esc(reseller)}</title>
<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:20px;color:#1d2430;background:#f6f7f9}
h1{font-size:20px;margin:0 0 4px}.meta{color:#5b6575;margin-bottom:16px}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin-bottom:16px}
.card{background:#fff;border:1px solid #d9dee6;border-radius:6px;padding:10px 14px;min-width:110px}
.card .n{font-size:24px;font-weight:600}.card .l{color:#5b6575;font-size:12px}
.card.failed .n{color:#b42318}.card.drifted .n{color:#b54708}
.controls{margin:0 0 10px}.controls label{margin-right:8px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d9dee6}
th,td{text-align:left;vertical-align:top;padding:8px;border-bottom:1px solid #e6e9ef}
th{background:#eef1f5;cursor:pointer;user-select:none;white-space:nowrap}
th[aria-sort=ascending]::after{content:" ▲"}th[aria-sort=descending]::after{content:" ▼"}
td ul{margin:0;padding-left:16px}.sub{color:#5b6575;font-size:12px}.num{text-align:right;white-space:nowrap}
tr.status-drifted{background:#fff4e5}tr.status-failed,tr.status-error{background:#fdecea}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#e6e9ef}
.badge.drifted{background:#f79009;color:#fff}.badge.failed,.badge.error{background:#d92d20;color:#fff}
.badge.in-sync,.badge.unchanged,.badge.created,.badge.updated{background:#12b76a;color:#fff}
.tag{font-size:11px;background:#e6e9ef;border-radius:4px;padding:0 4px}
li.mandatory,li.err{color:#b42318}
.cap{display:flex;align-items:center;gap:6px;font-size:12px;margin:2px 0}
.cap-name{width:130px;color:#5b6575}.cap-text{white-space:nowrap}
.bar{display:inline-block;width:120px;height:10px;background:#e6e9ef;border-radius:5px;overflow:hidden}
.bar.unknown{background:repeating-linear-gradient(45deg,#eef1f5,#eef1f5 4px,#e0e4ea 4px,#e0e4ea 8px)}
.fill{display:block;height:100%;background:#2e90fa}.fill.high{background:#f79009}.fill.full{background:#d92d20}
</style>
</head>
<body>
<h1>Fleet report — ${esc(reseller)}</h1>
<div class="meta">generated ${esc(generated)}${input.provision ? ` · provision ${esc(input.provision.finishedAt)} (${seconds(input.provision.durationMs)})` : ""}${input.drift ? ` · drift check ${esc(input.drift.checkedAt)} (${seconds(input.drift.durationMs)})` : ""}</div>
<div class="cards" id="summary">
${cards.map(([l, n, s]) => `<div class="card ${esc(s)}" data-count="${esc(s || l)}"><div class="n">${esc(n)}</div><div class="l">${esc(l)}</div></div>`).join("\n")}
</div>
${unmanagedTenants.length ? `<p class="err">Tenants no stack manages: ${unmanagedTenants.map((t) => esc(t.fqdn)).join(", ")}</p>` : ""}
<div class="controls"><label for="filter">Show</label><select id="filter"><option value="">all states</option>${states.map((s) => `<option value="${s}">${s} (${count(s)})</option>`).join("")}</select> <span id="shown">${rows.length} shown</span></div>
<table id="fleet">
<thead><tr><th data-type="text">customer</th><th data-type="num">state</th><th data-type="text">last run</th><th data-type="num">duration</th><th data-type="num">changes</th><th data-type="num">drift</th><th data-type="num">policy violations</th><th>usage against plan</th></tr></thead>
<tbody>
${body}
</tbody>
</table>
<script>
(function () {
  var table = document.getElementById("fleet");
  var tbody = table.tBodies[0];
  var filter = document.getElementById("filter");
  var shown = document.getElementById("shown");
  filter.addEventListener("change", function () {
    var n = 0;
    Array.prototype.forEach.call(tbody.rows, function (row) {
      var visible = !filter.value || row.getAttribute("data-status") === filter.value;
      row.hidden = !visible;
      if (visible) n++;
    });
    shown.textContent = n + " shown";
  });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var type = th.getAttribute("data-type");
    if (!type) return;
    th.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var rows = Array.prototype.slice.call(tbody.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute("data-key"), y = b.cells[col].getAttribute("data-key");
        var c = type === "num" ? Number(x) - Number(y) : x.localeCompare(y);
        return c * dir;
      });
      rows.forEach(function (r) { tbody.appendChild(r); });
    });
  });
})();
</script>
</body>
</html>
`;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

export const provisionReportName = "provision-report.json";
export const driftReportName = "drift-report.json";

/**
 * Writes `report.html` in `dir` from the report just made and the other command's last report
 * found beside it (provision-report.json, drift-report.json). Returns the page's path.
 */
export function writeReportPage(dir: string, input: ReportInput): string {
  fs.mkdirSync(dir, { recursive: true });
  const page = renderReportPage({
    ...input,
    provision: input.provision ?? readJson<ProvisionReport>(path.join(dir, provisionReportName)),
    drift: input.drift ?? readJson<DriftReport>(path.join(dir, driftReportName)),
  });
  const file = path.join(dir, reportPageName);
  fs.writeFileSync(file, page);
  return file;
}

/**
 * Usage against the plan for the customers of a provision report, from one tenant listing (no
 * drift report needed). Best effort: without the platform the page shows no bars.
 */
export async function provisionUsage(report: ProvisionReport, listTenants: () => Promise<Map<string, Record<string, any>>>): Promise<Record<string, CapabilityUsage[]>> {
  let tenants: Map<string, Record<string, any>>;
  try {
    tenants = await listTenants();
  } catch {
    return {};
  }
  const out: Record<string, CapabilityUsage[]> = {};
  for (const c of report.customers) {
    const t = c.outputs?.tenantId ? tenants.get(c.outputs.tenantId) : undefined;
    if (t) out[c.id] = capabilityUsage(t);
  }
  return out;
}
