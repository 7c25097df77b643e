/** Tenant records: the reserved management instance, creation with its default queue, the API view. */
import { tenantObject } from "../provider/schemas/tenant";
import type { Context, TenantConfig } from "./context";
import { nowIso, tenantConfig, usageOf } from "./context";
import { hashPassword, newId, randomToken } from "./crypto";
import type { TenantRow } from "./db/store";
import { checkResponse } from "./http/validate";

/** Instance 1 is the management instance: created on first start; the operator lists and reads it, nothing changes it. */
export async function ensureManagementInstance(ctx: Context): Promise<TenantRow> {
  const existing = ctx.st.reservedTenant.get();
  if (existing) return existing;
  const config: TenantConfig = {
    companyName: "Management",
    organizationSize: "1-10",
    country: "US",
    fqdn: ctx.managementFqdn,
    timeZone: "UTC",
    language: "en",
    admin: { username: "operator", firstName: "Operator", email: "operator@omnitenant.local" },
    capabilities: { maxAgents: 0, diskQuotaGb: 0, maxWidgets: 0, maxChannelAccounts: 0, maxWorkflows: 0, maxCannedMessages: 0, maxExtensions: 0 },
    deletionProtection: true,
  };
  // Nobody logs into it through omnitenant: its admin password is random and discarded.
  const adminHash = await hashPassword(randomToken("", 24), ctx.scryptCost);
  return ctx.db.transaction(() => {
    const again = ctx.st.reservedTenant.get();
    if (again) return again;
    const id = newId("ten");
    ctx.st.setCounterAtLeast.run("instance", 1);
    ctx.st.insertTenant.run({ id, instance_number: 1, fqdn: config.fqdn, reserved: 1, config: JSON.stringify(config), admin_password_hash: adminHash, default_queue_id: null, now: nowIso() });
    return ctx.st.tenantById.get(id)!;
  })();
}

export function insertTenant(ctx: Context, config: TenantConfig, adminPasswordHash: string): TenantRow {
  const id = newId("ten");
  const queueId = newId("que");
  const now = nowIso();
  const instance = ctx.st.nextCounter.get("instance")!.value;
  ctx.st.insertTenant.run({ id, instance_number: instance, fqdn: config.fqdn, reserved: 0, config: JSON.stringify(config), admin_password_hash: adminPasswordHash, default_queue_id: queueId, now });
  ctx.st.insertObject.run({
    id: queueId,
    tenant_id: id,
    kind: "Queue",
    natural_key: "Default",
    config: JSON.stringify({ name: "Default", description: "Default queue, created with the tenant.", channel: "chat", skills: [] }),
    secrets: "{}",
    pending_op: null,
    saved_at: null,
    now,
  });
  return ctx.st.tenantById.get(id)!;
}

export function presentTenant(ctx: Context, t: TenantRow) {
  const config = tenantConfig(t);
  return checkResponse(tenantObject, {
    ...config,
    tenantId: t.id,
    instanceNumber: t.instance_number,
    reserved: t.reserved === 1,
    portalUrl: `https://${t.fqdn}/portal`,
    defaultQueueId: t.default_queue_id,
    usage: usageOf(ctx, t.id),
    revision: t.revision,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  }) as Record<string, unknown>;
}
