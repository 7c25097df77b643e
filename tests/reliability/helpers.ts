/**
 * What the reliability scenarios share: the platform's inventory (every collection of every tenant,
 * by natural key) compared with what a fleet plan declares, and a report of what was injected and
 * what was found, printed so that a failure explains itself.
 */
import { declaredKeys, type FleetPlan, type Kind } from "../bench/programs/fleet";
import { api } from "../support/platform";

export interface PlatformRef {
  url: string;
  operatorToken: string;
}

/** The shared JSON client (tests/support/platform.ts) for a platform that may have been restarted. */
export const call = (p: PlatformRef, method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}) =>
  api(p.url, p.operatorToken)(method, urlPath, body, headers);

/** Every item of a collection, page after page. */
export async function listAll(p: PlatformRef, urlPath: string): Promise<Array<Record<string, any>>> {
  const items: Array<Record<string, any>> = [];
  let cursor: string | null | undefined;
  do {
    const sep = urlPath.includes("?") ? "&" : "?";
    const res = await call(p, "GET", `${urlPath}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    if (res.status !== 200) throw new Error(`GET ${urlPath}: ${res.status} ${JSON.stringify(res.body)}`);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

export const collections: Array<{ kind: Kind; path: string; key: string }> = [
  { kind: "Queue", path: "queues", key: "name" },
  { kind: "Agent", path: "agents", key: "account" },
  { kind: "Extension", path: "extensions", key: "number" },
  { kind: "UserGroup", path: "user-groups", key: "name" },
  { kind: "IncomingNumber", path: "incoming-numbers", key: "number" },
  { kind: "IntegrationCredential", path: "integrations", key: "name" },
];

export interface Inventory {
  /** fqdn → tenant ids with that fqdn (more than one would be a duplicate). */
  tenants: Map<string, string[]>;
  /** tenantId → kind → natural keys (sorted, duplicates kept). */
  objects: Map<string, Map<Kind, string[]>>;
  /** tenantId → number of changes saved but not applied. */
  pending: Map<string, number>;
  /** PBX objects whose revision is not live (appliedRevision ≠ revision). */
  notLive: string[];
}

/** Lists every customer tenant (instance 1, the management instance, excepted) and all it holds. */
export async function inventory(p: PlatformRef): Promise<Inventory> {
  const inv: Inventory = { tenants: new Map(), objects: new Map(), pending: new Map(), notLive: [] };
  for (const t of await listAll(p, "/v1/tenants")) {
    if (t.instanceNumber === 1) continue;
    inv.tenants.set(t.fqdn, [...(inv.tenants.get(t.fqdn) ?? []), t.tenantId]);
    const byKind = new Map<Kind, string[]>();
    for (const c of collections) {
      const items = await listAll(p, `/v1/tenants/${t.tenantId}/${c.path}`);
      byKind.set(c.kind, items.map((i) => String(i[c.key])).sort());
      for (const i of items) {
        if (i.revision !== undefined && i.appliedRevision !== undefined && i.appliedRevision !== i.revision) inv.notLive.push(`${t.fqdn} ${c.kind} ${i[c.key]}`);
      }
    }
    inv.objects.set(t.tenantId, byKind);
    inv.pending.set(t.tenantId, (await listAll(p, `/v1/tenants/${t.tenantId}/changes`)).length);
  }
  return inv;
}

/**
 * Differences between the platform and the plan: missing, duplicated and orphaned objects, pending
 * changes. Empty when exactly the declared objects exist, once each, all live.
 */
export function compare(plan: FleetPlan, inv: Inventory): string[] {
  const problems: string[] = [];
  const declared = new Set(plan.tenants.map((t) => t.fqdn));
  for (const [fqdn, ids] of inv.tenants) {
    if (!declared.has(fqdn)) problems.push(`orphan tenant ${fqdn} (${ids.join(", ")})`);
    else if (ids.length > 1) problems.push(`tenant ${fqdn} exists ${ids.length} times: ${ids.join(", ")}`);
  }
  for (const pt of plan.tenants) {
    const ids = inv.tenants.get(pt.fqdn);
    if (!ids) {
      problems.push(`missing tenant ${pt.fqdn}`);
      continue;
    }
    const byKind = inv.objects.get(ids[0])!;
    for (const c of collections) {
      const want = declaredKeys(pt, c.kind);
      if (c.kind === "Queue") want.push("Default"); // created with the tenant
      want.sort();
      const have = byKind.get(c.kind) ?? [];
      const missing = want.filter((k) => !have.includes(k));
      const extra = have.filter((k) => !want.includes(k));
      const dup = have.filter((k, i) => have.indexOf(k) !== i);
      if (missing.length) problems.push(`${pt.fqdn}: missing ${c.kind} ${missing.join(", ")}`);
      if (extra.length) problems.push(`${pt.fqdn}: orphan ${c.kind} ${extra.join(", ")}`);
      if (dup.length) problems.push(`${pt.fqdn}: duplicate ${c.kind} ${[...new Set(dup)].join(", ")}`);
    }
    const pending = inv.pending.get(ids[0]) ?? 0;
    if (pending) problems.push(`${pt.fqdn}: ${pending} change(s) saved but never applied`);
  }
  for (const o of inv.notLive) problems.push(`not live: ${o}`);
  return problems;
}

/** Counts of the inventory, for the report. */
export function summarize(inv: Inventory): Record<string, number> {
  const out: Record<string, number> = { tenants: [...inv.tenants.values()].reduce((s, ids) => s + ids.length, 0) };
  for (const byKind of inv.objects.values()) for (const [kind, keys] of byKind) out[kind] = (out[kind] ?? 0) + keys.length;
  out.pendingChanges = [...inv.pending.values()].reduce((s, n) => s + n, 0);
  return out;
}

/** Prints a scenario's report and returns it, to attach to a failing expectation. */
export function report(scenario: string, lines: Record<string, unknown>): string {
  const text = [`[reliability] ${scenario}`, ...Object.entries(lines).map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)].join("\n");
  console.log(text);
  return text;
}

/** Resources Pulumi manages in a stack export (the stack itself excluded). */
export function managedResources(deployment: { resources?: Array<{ type: string }> }): number {
  return (deployment.resources ?? []).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/omnitenant:")).length;
}
