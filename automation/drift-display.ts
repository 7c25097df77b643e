/** The drift check as text: one block per customer that drifted, then the fleet's counts. */
import type { DriftReport } from "./drift-types";

const show = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v));

export function driftText(report: DriftReport): string {
  const lines: string[] = [];
  for (const c of report.customers) {
    if (c.state === "in-sync") continue;
    lines.push(`${c.id}${c.orphaned ? " (not in the catalogue)" : ""}: ${c.state}${c.fqdn ? ` — ${c.fqdn}` : ""}`);
    if (c.error) lines.push(`  error [${c.error.code}]: ${c.error.message}`);
    if (c.lastRunProblem === "interrupted") {
      const pending = c.pendingOperations ?? [];
      const left = pending.length ? `${pending.length} operation(s) left pending (${pending.map((p) => `${p.type} ${p.name}`).join(", ")})` : "no operation recorded as pending";
      const killed = c.abandonedLock ? `; killed while it held the stack's lock (pid ${c.abandonedLock.pid}${c.abandonedLock.timestamp ? `, locked ${c.abandonedLock.timestamp}` : ""})` : "";
      lines.push(`  last run interrupted: ${left}${killed}. The next provision run finishes it.`);
    }
    if (c.lastRunProblem === "failed") lines.push(`  last run failed: ${c.lastRun?.kind ?? "update"} at ${c.lastRun?.endTime ?? "?"}`);
    for (const o of c.changed) {
      const fields = o.fields.map((f) => (f.secret ? `${f.field} (secret, changed)` : `${f.field}: ${show(f.declared)} → ${show(f.actual)}`));
      lines.push(`  changed ${o.kind} ${o.name}: ${o.pendingApply ? "a staged change waits to be applied" : fields.join("; ")}`);
    }
    for (const o of c.deleted) lines.push(`  deleted ${o.kind} ${o.name} (${o.id})`);
    for (const o of c.unmanaged) lines.push(`  unmanaged ${o.kind} ${JSON.stringify(o.key)} (${o.id})`);
  }
  for (const t of report.unmanagedTenants) lines.push(`unmanaged tenant ${t.fqdn} (${t.id}): no stack of ${report.project} manages it`);
  const k = report.counts;
  lines.push(
    `${k.customers} customers: ${k["in-sync"]} in sync, ${k.drifted} drifted, ${k["not-deployed"]} not deployed, ${k.error} not checked; ` +
      `${k.changed} changed, ${k.deleted} deleted, ${k.unmanaged} unmanaged objects, ${k.failedRuns} failed or interrupted runs (${(report.durationMs / 1000).toFixed(1)} s)`,
  );
  return lines.join("\n");
}
