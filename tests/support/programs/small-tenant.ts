/**
 * A small but complete tenant for end-to-end tests: every kind, extensions that target each other
 * by number, secrets of every sort. `variant` changes what the update and replacement tests change.
 */
import * as pulumi from "@pulumi/pulumi";
import * as omni from "omnitenant";

export interface SmallTenantVariant {
  fqdn: string;
  supportAlias?: string;
  thirdExtensionNumber?: string;
}

export const secretsUsed = {
  adminPassword: "E2e-Admin-Password-1",
  agentPassword: "E2e-Agent-Password-2",
  portalPassword: "E2e-Portal-Password-3",
  crmApiKey: "e2e-crm-api-key-4",
};

export function smallTenant(v: SmallTenantVariant) {
  const tenant = new omni.Tenant("tenant", {
    companyName: "E2E Corp",
    organizationSize: "11-50",
    country: "US",
    fqdn: v.fqdn,
    timeZone: "America/New_York",
    language: "en-US",
    admin: { username: "e2e-admin", password: secretsUsed.adminPassword, firstName: "Eve", email: "eve@e2e.example.com" },
    capabilities: { maxAgents: 5, diskQuotaGb: 10, maxWidgets: 2, maxChannelAccounts: 2, maxWorkflows: 2, maxCannedMessages: 10, maxExtensions: 5 },
  });
  const tenantId = tenant.tenantId;
  const sales = new omni.Queue("sales", { tenantId, name: "Sales", channel: "chat", skills: ["sales"] });
  const support = new omni.Queue("support", { tenantId, name: "Support", channel: "chat" });
  const agents = ["ann", "bob", "cid"].map(
    (account, i) =>
      new omni.Agent(account, {
        tenantId,
        account,
        password: pulumi.secret(secretsUsed.agentPassword),
        firstName: account.toUpperCase(),
        alias: account === "bob" && v.supportAlias ? v.supportAlias : `${account}-alias`,
        email: `${account}@e2e.example.com`,
        queueIds: [i === 0 ? sales.queueId : support.queueId],
      }),
  );
  const third = v.thirdExtensionNumber ?? "203";
  const e201 = new omni.Extension("ext-201", {
    tenantId, number: "201", name: "Ann", agentId: agents[0].agentId,
    forwarding: { onNoAnswer: { destinations: [{ target: "202", ringSeconds: 10 }], voicemailLastResort: true } },
    keys: [{ position: 1, action: "blf", target: "202" }],
    portal: { username: "ann", password: secretsUsed.portalPassword, permissions: ["userPortalAccess"] },
  });
  const e202 = new omni.Extension("ext-202", {
    tenantId, number: "202", name: "Bob",
    forwarding: { onBusy: { destinations: [{ target: "201", ringSeconds: 15 }] } },
  });
  const e203 = new omni.Extension("ext-third", {
    tenantId, number: third, name: "Cid", followMe: { destinations: [{ target: "+12125550100", ringSeconds: 20 }] },
  });
  const group = new omni.UserGroup("group", { tenantId, name: "Desk", memberIds: [e201.extensionId, e202.extensionId], queueId: support.queueId });
  const number = new omni.IncomingNumber("number", { tenantId, number: "+12125550199", destination: { type: "extension", target: "201" } });
  const token = new omni.IntegrationCredential("token", {
    tenantId, name: "Events", kind: "apiToken", scopes: ["events:read"], expiresAt: "2099-01-01T00:00:00Z",
  });
  const hook = new omni.IntegrationCredential("hook", {
    tenantId, name: "Hook", kind: "webhook", settings: { url: "https://hooks.e2e.example.com/in", events: ["chat.closed"] },
  });
  const crm = new omni.IntegrationCredential("crm", {
    tenantId, name: "CRM", kind: "zoho", secrets: { apiKey: secretsUsed.crmApiKey }, agentIds: [agents[0].agentId],
  });
  return {
    tenantId,
    agentIds: agents.map((a) => a.agentId),
    extensionIds: [e201, e202, e203].map((e) => e.extensionId),
    sipPassword: e201.sip.apply((s) => s.password),
    groupId: group.userGroupId,
    numberId: number.incomingNumberId,
    token: token.token,
    signingSecret: hook.signingSecret,
    crmId: crm.credentialId,
  };
}

/** Number of resources smallTenant declares, the stack itself excluded. */
export const smallTenantResourceCount = 1 + 2 + 3 + 3 + 1 + 1 + 3;
