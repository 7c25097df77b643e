/**
 * Compliant resources, as a preview of a brand-new tenant sends them: children reference the
 * tenant through `tenantId` (unknown, with a property dependency on the Tenant's URN) and secrets
 * are secret. Failing cases start from these and break one field.
 */
import { childOf, secret, UNKNOWN, type ResourceSpec } from "./harness";

export const NOW = new Date("2026-01-15T00:00:00Z");
export const inDays = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();

export function tenant(name = "acme", overrides: Record<string, unknown> = {}): ResourceSpec {
  return {
    kind: "Tenant",
    name,
    props: {
      companyName: "Acme Corp",
      organizationSize: "11-50",
      country: "FR",
      fqdn: `${name}.pbx.example.com`,
      timeZone: "Europe/Paris",
      language: "fr",
      admin: { username: "acme-admin", password: secret("s3cret-passw0rd"), firstName: "Ada", email: "ada@acme.example" },
      capabilities: { maxAgents: 10, diskQuotaGb: 50, maxWidgets: 2, maxChannelAccounts: 5, maxWorkflows: 10, maxCannedMessages: 100, maxExtensions: 20 },
      plan: "business",
      deletionProtection: false,
      __provider: "dynamic-provider-serialized",
      ...overrides,
    },
  };
}

export function agent(t: ResourceSpec, name: string, overrides: Record<string, unknown> = {}): ResourceSpec {
  return childOf(t, "Agent", name, {
    account: name,
    password: secret("agent-passw0rd"),
    firstName: "Jane",
    alias: "Jane",
    email: `${name}@acme.example`,
    queueIds: ["que_billing01"],
    roles: ["agent"],
    skills: ["Spanish"],
    __provider: "dynamic-provider-serialized",
    ...overrides,
  });
}

export function extension(t: ResourceSpec, name: string, overrides: Record<string, unknown> = {}): ResourceSpec {
  return childOf(t, "Extension", name, {
    number: "101",
    name: "Front desk",
    voicemail: true,
    keys: [],
    portal: { username: `${name}-portal`, password: secret("portal-passw0rd"), permissions: ["userPortalAccess"] },
    __provider: "dynamic-provider-serialized",
    ...overrides,
  });
}

const credentialDefaults: Record<string, Record<string, unknown>> = {
  apiToken: { settings: {}, scopes: ["events:read", "transcripts:read"], expiresAt: inDays(30) },
  oauth2Client: { settings: { redirectUris: ["https://app.example.com/cb"] }, scopes: ["events:read"], expiresAt: inDays(60) },
  webhook: { settings: { url: "https://hooks.example.com/omni", events: ["chat.closed", "agent.assigned"] } },
  salesforce: { settings: { instanceUrl: "https://acme.my.salesforce.com" }, secrets: secret({ clientSecret: "x" }), agentIds: ["agt_jane0001"] },
  netsapiens: { settings: { serverUrl: "https://ns.example.com" }, agentIds: ["agt_jane0001"] },
  iris: { settings: { softphoneEnabled: true }, agentIds: [] },
  modelProvider: { settings: { provider: "acme-ai", model: "m1" } },
};

export function credential(t: ResourceSpec, name: string, kind: string, overrides: Record<string, unknown> = {}): ResourceSpec {
  return childOf(t, "IntegrationCredential", name, {
    name,
    kind,
    agentIds: [],
    ...credentialDefaults[kind],
    __provider: "dynamic-provider-serialized",
    ...overrides,
  });
}

export { UNKNOWN };
