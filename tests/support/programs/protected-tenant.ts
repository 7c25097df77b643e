/** A tenant with a few children, for the protection and preview tests; `v` is what a step changes. */
import * as omni from "omnitenant";

export interface ProtectedTenantVariant {
  fqdn: string;
  deletionProtection: boolean;
  maxAgents?: number;
  alias?: string;
  extensionNumber?: string;
}

export function protectedTenant(v: ProtectedTenantVariant) {
  const tenant = new omni.Tenant("tenant", {
    companyName: "Guarded Corp",
    organizationSize: "11-50",
    country: "FR",
    fqdn: v.fqdn,
    timeZone: "Europe/Paris",
    language: "fr",
    admin: { username: "guard-admin", password: "Guarded-Admin-Pass-1", firstName: "Gus", email: "gus@guarded.example.com" },
    capabilities: { maxAgents: v.maxAgents ?? 5, diskQuotaGb: 10, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 5, maxExtensions: 5 },
    deletionProtection: v.deletionProtection,
  });
  const tenantId = tenant.tenantId;
  const queue = new omni.Queue("queue", { tenantId, name: "Front", channel: "chat" });
  const agent = new omni.Agent("agent", {
    tenantId, account: "gina", password: "Guarded-Agent-Pass-2", firstName: "Gina", alias: v.alias ?? "Gina",
    email: "gina@guarded.example.com", queueIds: [queue.queueId],
  });
  new omni.Extension("extension", { tenantId, number: v.extensionNumber ?? "301", name: "Gina", agentId: agent.agentId });
  return { tenantId };
}

/** Resources protectedTenant declares, the stack itself excluded. */
export const protectedTenantResourceCount = 4;
