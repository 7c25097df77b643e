/**
 * Programs for the policy end-to-end tests: one compliant with both packs, one that breaks each
 * least-privilege policy exactly once, one that breaks each quota rule exactly once. Each is a
 * brand-new tenant, so during the preview every id is unknown.
 */
import * as omni from "omnitenant";

export const expiresIn = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

/** Policy config files' contents: what the reviewer configured for these programs. */
export const leastPrivilegeConfig = {
  "agent-roles": { grants: { lead: ["supervisor"], qa: ["test"], root1: ["admin"], root2: ["admin"], root3: ["admin"] } },
  "portal-permissions": { allowList: { "desk-admin": ["userManagement", "applyChanges"] } },
};
export const quotasConfig = {
  "plan-catalogue": {
    plans: {
      starter: { maxAgents: 5, diskQuotaGb: 5, maxChannelAccounts: 1, maxExtensions: 5 },
      business: { maxAgents: 50, diskQuotaGb: 100, maxChannelAccounts: 10, maxExtensions: 100 },
    },
  },
};

const caps = { maxAgents: 10, diskQuotaGb: 20, maxWidgets: 2, maxChannelAccounts: 3, maxWorkflows: 5, maxCannedMessages: 50, maxExtensions: 10 };

function tenant(fqdn: string, overrides: Partial<omni.TenantArgs> = {}) {
  return new omni.Tenant("tenant", {
    companyName: "Policy Corp",
    organizationSize: "11-50",
    country: "US",
    fqdn,
    timeZone: "America/New_York",
    language: "en-US",
    admin: { username: "policy-admin", password: "Policy-Admin-Password-1", firstName: "Pat", email: "pat@policy.example.com" },
    capabilities: caps,
    plan: "business",
    ...overrides,
  });
}

function agent(t: omni.Tenant, account: string, queueId: omni.Queue["queueId"], roles?: omni.Role[], withQueues = true) {
  return new omni.Agent(account, {
    tenantId: t.tenantId,
    account,
    password: "Agent-Password-2",
    firstName: account,
    alias: account,
    email: `${account}@policy.example.com`,
    ...(withQueues ? { queueIds: [queueId] } : {}),
    ...(roles ? { roles } : {}),
  });
}

export function compliant(fqdn: string) {
  const t = tenant(fqdn);
  const q = new omni.Queue("support", { tenantId: t.tenantId, name: "Support", channel: "chat" });
  const jane = agent(t, "jane", q.queueId);
  agent(t, "lead", q.queueId, ["agent", "supervisor"]);
  agent(t, "root1", q.queueId, ["admin"]);
  new omni.Extension("desk", {
    tenantId: t.tenantId, number: "101", name: "Desk", agentId: jane.agentId,
    portal: { username: "desk-admin", password: "Portal-Password-3", permissions: ["userPortalAccess", "userManagement"] },
  });
  new omni.IntegrationCredential("events", { tenantId: t.tenantId, name: "Events", kind: "apiToken", scopes: ["events:read"], expiresAt: expiresIn(30) });
  new omni.IntegrationCredential("hook", { tenantId: t.tenantId, name: "Hook", kind: "webhook", settings: { url: "https://hooks.policy.example.com/in", events: ["chat.closed"] } });
  new omni.IntegrationCredential("crm", { tenantId: t.tenantId, name: "CRM", kind: "zoho", secrets: { apiKey: "crm-key" }, agentIds: [jane.agentId] });
  return { tenantId: t.tenantId };
}

/** One violation of each least-privilege policy; the quotas pack passes. Run it on a "prod-…" stack. */
export function breaksLeastPrivilege(fqdn: string) {
  const t = tenant(fqdn);
  const q = new omni.Queue("support", { tenantId: t.tenantId, name: "Support", channel: "chat" });
  const jane = agent(t, "jane", q.queueId);
  agent(t, "boss", q.queueId, ["agent", "supervisor"]); // agent-roles: not granted
  agent(t, "drifter", q.queueId, undefined, false); // agent-explicit-queues
  agent(t, "qa", q.queueId, ["agent", "test"]); // no-test-role-in-production (granted, but a prod stack)
  for (const a of ["root1", "root2", "root3"]) agent(t, a, q.queueId, ["admin"]); // max-admins-per-tenant
  new omni.Extension("desk", {
    tenantId: t.tenantId, number: "101", name: "Desk",
    portal: { username: "frontdesk", password: "Portal-Password-3", permissions: ["userPortalAccess", "globalSettings"] }, // portal-permissions
  });
  new omni.IntegrationCredential("everything", { tenantId: t.tenantId, name: "Everything", kind: "apiToken", scopes: ["*"], expiresAt: expiresIn(30) }); // api-credential-scopes
  new omni.IntegrationCredential("forever", { tenantId: t.tenantId, name: "Forever", kind: "apiToken", scopes: ["events:read"] }); // api-credential-lifetime
  new omni.IntegrationCredential("hook", { tenantId: t.tenantId, name: "Hook", kind: "webhook", settings: { url: "http://hooks.policy.example.com/in", events: ["chat.closed"] } }); // webhook-https-only
  new omni.IntegrationCredential("crm", { tenantId: t.tenantId, name: "CRM", kind: "salesforce", agentIds: [] }); // integration-tagged-to-agent
  return { tenantId: t.tenantId, jane: jane.agentId };
}

/** Over each capability once and over its plan once; the least-privilege pack passes. */
export function breaksQuotas(fqdn: string) {
  const t = tenant(fqdn, { plan: "starter", capabilities: { ...caps, maxAgents: 1, maxExtensions: 1, maxChannelAccounts: 1, diskQuotaGb: 10 } });
  const q = new omni.Queue("support", { tenantId: t.tenantId, name: "Support", channel: "chat" });
  const jane = agent(t, "jane", q.queueId);
  const john = agent(t, "john", q.queueId);
  new omni.Extension("e101", { tenantId: t.tenantId, number: "101", name: "Jane", agentId: jane.agentId });
  new omni.Extension("e102", { tenantId: t.tenantId, number: "102", name: "John", agentId: john.agentId });
  new omni.IntegrationCredential("crm", { tenantId: t.tenantId, name: "CRM", kind: "zoho", agentIds: [jane.agentId] });
  new omni.IntegrationCredential("phone", { tenantId: t.tenantId, name: "Phone", kind: "iris", agentIds: [john.agentId] });
  return { tenantId: t.tenantId };
}
