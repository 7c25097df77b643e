/** Rules shared by several kinds: references within the tenant and capability quotas. */
import type { Context } from "../context";
import { tenantConfig, usageOf, type Usage } from "../context";
import type { TenantRow } from "../db/store";
import { Problem, type FieldError } from "../problems";
import type { Capabilities } from "../../provider/schemas/tenant";

/** Every id in `ids` must be an object of `kind` in the tenant, not pending deletion. */
export function checkRefs(ctx: Context, tenant: TenantRow, kind: string, field: string, ids: ReadonlyArray<string | null | undefined>, label: string): void {
  const errors: FieldError[] = [];
  ids.forEach((id, i) => {
    if (id === null || id === undefined) return;
    const row = ctx.st.objectById.get(id, tenant.id, kind);
    const path = ids.length === 1 && !field.endsWith("s") ? field : `${field}.${i}`;
    if (!row) errors.push({ path, message: `no ${label} ${id} in tenant ${tenant.id}; create it first or use an id of this tenant` });
    else if (row.pending_op === "delete") errors.push({ path, message: `${label} ${id} is being deleted (pending change); apply or use another` });
  });
  if (errors.length) {
    throw new Problem("validation-failed", `Reference to a missing ${label}: ${errors.map((e) => `${e.path} (${e.message})`).join("; ")}.`, errors);
  }
}

export function checkQuota(ctx: Context, tenant: TenantRow, usageKey: keyof Usage, capability: keyof Capabilities, what: string): void {
  const limit = tenantConfig(tenant).capabilities[capability];
  const used = usageOf(ctx, tenant.id)[usageKey];
  if (used + 1 > limit) {
    throw new Problem(
      "quota-exceeded",
      `Tenant ${tenant.id} has ${used} ${what} and capabilities.${capability} is ${limit}; raise capabilities.${capability} on the tenant or delete a ${what.replace(/s$/, "")} first.`,
      [{ path: `capabilities.${capability}`, message: `limit ${limit} reached (${used} in use)` }],
    );
  }
}

export function conflict(kindLabel: string, field: string, value: string, existingId: string): Problem {
  return new Problem(
    "conflict",
    `A ${kindLabel} with ${field} ${JSON.stringify(value)} exists already: ${existingId}. Use another ${field}, or adopt ${existingId} instead of creating it.`,
    [{ path: field, message: `already used by ${existingId}` }],
  );
}
