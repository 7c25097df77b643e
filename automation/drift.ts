/**
 * Fleet drift check: for every customer of a catalogue, the stack's state (one export) against the
 * tenant's objects on the platform (list requests), compared as `pulumi refresh` compares them, but
 * without running the engine or the program. Customers are checked with bounded concurrency; one
 * customer's failure is its own result.
 */
import * as path from "node:path";
import { configure } from "../provider/config";
import { OmnitenantApiError } from "../provider/errors";
import { kinds } from "../provider/schemas";
import type { Catalogue } from "./catalogue";
import { compareObject, descriptors } from "./drift-compare";
import { listTenantObjects, listTenants, providerListPage, type ListPage } from "./drift-platform";
import { containsSealed, stateReader as defaultStateReader, type ManagedResource, type StackState, type StateReader } from "./drift-state";
import type { CustomerDrift, DriftReport, DriftState } from "./drift-types";
import { capabilityUsage } from "./drift-usage";
import { defaultProject, provisionPlaces, redactBackend, resolveConnection } from "./provision";

export * from "./drift-types";

export const defaultDriftConcurrency = 8;

type Obj = Record<string, any>;

export interface DriftOptions {
  endpoint?: string;
  token?: string;
  /** Any Pulumi backend URL; default PULUMI_BACKEND_URL, then the file backend provision uses. */
  backendUrl?: string;
  /** Where provision keeps its work (default `<cwd>/.omnitenant/provision`): the default backend is under it. */
  workDir?: string;
  projectName?: string;
  /** Customers checked at once; default 8. */
  concurrency?: number;
  env?: Record<string, string>;
  /** Collaborators, for tests and benchmarks: how pages are listed, how stacks are read. */
  listPage?: ListPage;
  stateReader?: StateReader;
  clock?: () => number;
}

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

/** The platform's object is the one Pulumi last wrote: same revision, same applied revision. */
function sameRevision(object: Obj, outputs: Obj): boolean {
  return object.revision !== undefined && object.revision === outputs.revision && (object.appliedRevision ?? null) === (outputs.appliedRevision ?? null);
}

function errorOf(err: unknown): { code: string; message: string } {
  if (err instanceof OmnitenantApiError) return { code: err.type ?? `http-${err.status ?? "error"}`, message: err.message };
  const e = err as { code?: unknown; message?: unknown };
  return { code: typeof e?.code === "string" ? e.code : "error", message: typeof e?.message === "string" ? e.message : String(err) };
}

/** Compares one stack with the platform's objects. `tenants` is the platform's tenant list. */
export async function checkCustomer(id: string, state: StackState, tenants: Map<string, Obj>, listPage: ListPage): Promise<Omit<CustomerDrift, "durationMs">> {
  const result: Omit<CustomerDrift, "durationMs"> = { id, state: "in-sync", changed: [], deleted: [], unmanaged: [], revisionMoved: [] };
  if (state.lastRun) result.lastRun = state.lastRun;
  if (state.pendingOperations.length || state.abandonedLock) {
    result.pendingOperations = state.pendingOperations.map(({ type, name }) => ({ type, name }));
    if (state.abandonedLock) result.abandonedLock = state.abandonedLock;
    result.lastRunProblem = "interrupted";
  } else if (state.lastRun?.result === "failed") {
    result.lastRunProblem = "failed";
  }
  const tenantResource = state.resources.find((r) => r.kind === "Tenant");
  if (!tenantResource) {
    result.state = result.lastRunProblem ? "drifted" : "not-deployed";
    return result;
  }
  result.tenantId = tenantResource.id;
  result.fqdn = tenantResource.outputs.fqdn;
  const tenant = tenants.get(tenantResource.id);
  // A deleted tenant takes its objects with it: every resource of the stack is gone.
  const objects = tenant ? await listTenantObjects(listPage, tenantResource.id) : undefined;
  if (tenant) {
    result.plan = tenant.plan;
    result.usage = capabilityUsage(tenant);
  }
  const managed = new Set<string>();
  const present: Array<{ r: ManagedResource; object: Obj }> = [];
  for (const r of state.resources) {
    managed.add(r.id);
    const object = r.kind === "Tenant" ? tenant : objects?.byKind.get(r.kind)?.get(r.id);
    if (object) present.push({ r, object });
    else result.deleted.push({ kind: r.kind, name: r.name, id: r.id });
  }
  // First with secrets sealed: a wholly write-only secret (a password) compares equal to itself, as
  // refresh copies it from state. Only a moved object whose differing fields hold a sealed secret
  // (an admin or portal with a password inside, a credential's secret names) needs the secrets open.
  const touchesSealed = (r: ManagedResource, field: string) => containsSealed(r.inputs[field]) || containsSealed(r.outputs[field]);
  const first = present.map(({ r, object }) => ({ r, object, c: compareObject(r.kind, r.id, r.inputs, r.outputs, object) }));
  const inconclusive = first.some(({ r, object, c }) => !sameRevision(object, r.outputs) && c.fields.some((f) => touchesSealed(r, f.field)));
  const open = inconclusive ? new Map((await state.decrypted()).resources.map((r) => [r.urn, r])) : undefined;
  for (const entry of first) {
    const opened = open?.get(entry.r.urn);
    const { r, c } = opened ? { r: opened, c: compareObject(opened.kind, opened.id, opened.inputs, opened.outputs, entry.object) } : entry;
    // Unmoved since Pulumi wrote it: a sealed secret is what Pulumi wrote, not a difference.
    const fields = sameRevision(entry.object, r.outputs) ? c.fields.filter((f) => !touchesSealed(r, f.field)) : c.fields;
    if (c.changed && (fields.length > 0 || c.pendingApply)) {
      result.changed.push({ kind: r.kind, name: r.name, id: r.id, fields, ...(c.pendingApply && fields.length === 0 ? { pendingApply: true as const } : {}) });
    } else if (c.revisionMoved) {
      result.revisionMoved.push({ kind: r.kind, name: r.name, id: r.id });
    }
  }
  if (tenant && objects) {
    // The default queue comes with the tenant: the Tenant resource manages it.
    if (tenant.defaultQueueId) managed.add(String(tenant.defaultQueueId));
    for (const [kind, byId] of objects.byKind) {
      const spec = kinds[kind as keyof typeof kinds];
      for (const [oid, o] of byId) if (!managed.has(oid)) result.unmanaged.push({ kind, id: oid, key: String(o[spec.naturalKey]) });
    }
  }
  const drifted = result.changed.length + result.deleted.length + result.unmanaged.length > 0 || result.lastRunProblem !== undefined;
  result.state = drifted ? "drifted" : "in-sync";
  return result;
}

export async function drift(catalogue: Catalogue, options: DriftOptions = {}): Promise<DriftReport> {
  const clock = options.clock ?? Date.now;
  const started = clock();
  const concurrency = options.concurrency ?? defaultDriftConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, not ${concurrency}`);
  const projectName = options.projectName ?? defaultProject;
  const { base, backendUrl } = provisionPlaces(options);
  const { endpoint, token } = resolveConnection(options);
  let listPage = options.listPage;
  if (!listPage) {
    configure({ endpoint, token }, "omnitenant drift");
    listPage = providerListPage;
  }
  const reader = options.stateReader ?? (await defaultStateReader({ projectName, backendUrl, workDir: path.join(base, "drift-workspace"), env: options.env }));

  const [stacks, tenants] = await Promise.all([reader.listStacks(), listTenants(listPage)]);
  const stackSet = new Set(stacks);
  const named = catalogue.entries.map((e) => e.id).filter((id): id is string => id !== undefined);
  const namedSet = new Set(named);
  const orphans = stacks.filter((s) => !namedSet.has(s)).sort();

  const results = new Map<string, CustomerDrift>();
  const tenantOwners = new Set<string>();
  await pool([...named, ...orphans], concurrency, async (id) => {
    const t = clock();
    const orphaned = !namedSet.has(id) ? { orphaned: true as const } : {};
    if (!stackSet.has(id)) {
      results.set(id, { id, state: "not-deployed", changed: [], deleted: [], unmanaged: [], revisionMoved: [], durationMs: 0 });
      return;
    }
    try {
      const state = await reader.readStack(id);
      for (const r of state.resources) if (r.kind === "Tenant") tenantOwners.add(r.id);
      results.set(id, { ...(await checkCustomer(id, state, tenants, listPage!)), ...orphaned, durationMs: clock() - t });
    } catch (err) {
      results.set(id, { id, state: "error", ...orphaned, changed: [], deleted: [], unmanaged: [], revisionMoved: [], error: errorOf(err), durationMs: clock() - t });
    }
  });

  const customers = [...named, ...orphans].map((id) => results.get(id)!);
  const anyError = customers.some((c) => c.state === "error");
  // With a customer unreadable, its tenant may be one that looks unmanaged: say nothing then.
  // The reserved management instance is the platform's own, never a customer's: not drift.
  const unmanagedTenants = anyError ? [] : [...tenants.values()].filter((t) => !t.reserved && !tenantOwners.has(String(t.tenantId))).map((t) => ({ id: String(t.tenantId), fqdn: String(t.fqdn) }));
  const counts = { customers: customers.length, "in-sync": 0, drifted: 0, "not-deployed": 0, error: 0, changed: 0, deleted: 0, unmanaged: unmanagedTenants.length, failedRuns: 0 } as DriftReport["counts"];
  for (const c of customers) {
    counts[c.state as DriftState]++;
    counts.changed += c.changed.length;
    counts.deleted += c.deleted.length;
    counts.unmanaged += c.unmanaged.length;
    if (c.lastRunProblem) counts.failedRuns++;
  }
  return {
    reseller: catalogue.reseller.name,
    ...(catalogue.source ? { catalogue: catalogue.source } : {}),
    project: projectName,
    backend: redactBackend(backendUrl),
    endpoint,
    checkedAt: new Date(started).toISOString(),
    durationMs: clock() - started,
    concurrency,
    counts,
    unmanagedTenants,
    drifted: counts.drifted > 0 || unmanagedTenants.length > 0,
    errors: anyError,
    customers,
  };
}

/** Kinds the drift check knows, in the order reports list them. */
export const driftKinds = Object.keys(descriptors);
