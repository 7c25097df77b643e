/**
 * Which tenant each resource of a stack belongs to, decided also during the preview of a brand-new
 * tenant, when its id is not known yet: a child is attached to the Tenant resource its `tenantId`
 * input depends on (the engine records that dependency by URN), and only when there is no such
 * dependency to the tenant with the id it names, when that id is known.
 */
import type { PolicyResource } from "@pulumi/policy";
import { describe, kindOf, rawProps, str, UNKNOWN } from "./resources";

export interface TenantRef {
  /** Stable grouping key: the Tenant's URN, or `id:<tenantId>` for a tenant this stack does not declare. */
  key: string;
  /** The Tenant resource, when this stack declares it. */
  tenant?: PolicyResource;
  /** How messages name the tenant. */
  label: string;
}

const isTenant = (r: PolicyResource | undefined): r is PolicyResource => !!r && kindOf(r.type) === "Tenant";

export class TenantIndex {
  private readonly byId = new Map<string, PolicyResource>();

  constructor(resources: readonly PolicyResource[]) {
    for (const r of resources) {
      if (!isTenant(r)) continue;
      const id = str(rawProps(r.props), "tenantId");
      if (typeof id === "string") this.byId.set(id, r);
    }
  }

  /** The tenant a child resource belongs to, or undefined when it cannot be told (no dependency, id unknown). */
  of(child: PolicyResource): TenantRef | undefined {
    const viaInput = (child.propertyDependencies?.tenantId ?? []).find(isTenant);
    if (viaInput) return ref(viaInput);
    const id = str(rawProps(child.props), "tenantId");
    if (typeof id === "string") {
      const declared = this.byId.get(id);
      return declared ? ref(declared) : { key: `id:${id}`, label: `tenant ${id} (not declared in this stack)` };
    }
    if (id === UNKNOWN) {
      // An id computed through something else (an apply, a component): a single Tenant among the
      // child's dependencies is still unambiguous.
      const tenants = (child.dependencies ?? []).filter(isTenant);
      if (tenants.length === 1) return ref(tenants[0]);
    }
    return undefined;
  }
}

const ref = (tenant: PolicyResource): TenantRef => ({ key: tenant.urn, tenant, label: describe(tenant) });

/** Children of the given kind grouped by tenant key, in stack order. */
export function groupByTenant(
  index: TenantIndex,
  children: readonly PolicyResource[],
): Map<string, { ref: TenantRef; members: PolicyResource[] }> {
  const groups = new Map<string, { ref: TenantRef; members: PolicyResource[] }>();
  for (const child of children) {
    const t = index.of(child);
    if (!t) continue;
    const g = groups.get(t.key) ?? { ref: t, members: [] };
    g.members.push(child);
    groups.set(t.key, g);
  }
  return groups;
}
