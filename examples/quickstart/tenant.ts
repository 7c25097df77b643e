/**
 * The quickstart tenant: one customer on a contact-center + cloud-PBX platform, declared the way a
 * DevOps team would. Copy it and change the names.
 */
import * as pulumi from "@pulumi/pulumi";
import * as omni from "omnitenant";

export function quickstartTenant() {
  const config = new pulumi.Config();
  const adminPassword = config.getSecret("adminPassword") ?? pulumi.secret("Quickstart-Admin-2026!");
  const agentPassword = config.getSecret("agentPassword") ?? pulumi.secret("Quickstart-Agent-2026!");

  const tenant = new omni.Tenant("acme", {
    companyName: "Acme Retail",
    organizationSize: "51-200",
    country: "FR",
    fqdn: "acme.pbx.example.com",
    timeZone: "Europe/Paris",
    language: "fr-FR",
    plan: "growth",
    admin: { username: "acme-admin", password: adminPassword, firstName: "Claire", email: "it@acme.example.com" },
    capabilities: {
      maxAgents: 20, diskQuotaGb: 50, maxWidgets: 5, maxChannelAccounts: 5,
      maxWorkflows: 10, maxCannedMessages: 200, maxExtensions: 20,
    },
    deletionProtection: false,
  });
  const tenantId = tenant.tenantId;

  const billing = new omni.Queue("billing", { tenantId, name: "Billing", description: "Invoices and refunds", channel: "chat", skills: ["billing"] });
  const support = new omni.Queue("support", { tenantId, name: "Live Chat Support", channel: "chat", skills: ["tech-support"] });

  const agentSpecs = [
    { account: "lea.martin", firstName: "Léa", lastName: "Martin", queues: [billing], roles: ["supervisor"], skills: ["billing", "French"] },
    { account: "tom.dubois", firstName: "Tom", lastName: "Dubois", queues: [billing], roles: ["agent"], skills: ["billing"] },
    { account: "ines.garcia", firstName: "Inès", lastName: "Garcia", queues: [support], roles: ["agent"], skills: ["tech-support", "Spanish"] },
    { account: "hugo.bernard", firstName: "Hugo", lastName: "Bernard", queues: [support], roles: ["agent"], skills: ["tech-support", "Tier 1"] },
    { account: "emma.petit", firstName: "Emma", lastName: "Petit", queues: [billing, support], roles: ["agent"], skills: ["e-commerce"] },
  ] as const;
  const agents = agentSpecs.map(
    (a) =>
      new omni.Agent(a.account, {
        tenantId,
        account: a.account,
        password: agentPassword,
        firstName: a.firstName,
        lastName: a.lastName,
        alias: a.firstName,
        email: `${a.account}@acme.example.com`,
        queueIds: a.queues.map((q) => q.queueId),
        roles: [...a.roles],
        skills: [...a.skills],
      }),
  );

  // Extensions target each other by number, in any order: the provider applies them together.
  const reception = new omni.Extension("ext-100", {
    tenantId, number: "100", name: "Reception", voicemail: true, directory: true, multipleCalls: true,
    forwarding: {
      onNoAnswer: { destinations: [{ target: "101", ringSeconds: 15 }, { target: "102", ringSeconds: 15 }], voicemailLastResort: true },
      onBusy: { destinations: [{ target: "103", ringSeconds: 20 }] },
    },
    keys: [{ position: 1, action: "blf", target: "101" }, { position: 2, action: "pickup", target: "102" }],
  });
  const lea = new omni.Extension("ext-101", {
    tenantId, number: "101", name: "Léa Martin", email: "lea.martin@acme.example.com", gsmNumber: "+33612345678",
    voicemail: true, agentId: agents[0].agentId,
    followMe: { destinations: [{ target: "+33612345678", ringSeconds: 20 }] },
    portal: { username: "lea.martin", password: agentPassword, permissions: ["userPortalAccess", "queueManagement"] },
  });
  const tom = new omni.Extension("ext-102", {
    tenantId, number: "102", name: "Tom Dubois", voicemail: true, agentId: agents[1].agentId,
    forwarding: { onBusy: { destinations: [{ target: "100", ringSeconds: 20 }] } },
    keys: [{ position: 1, action: "line", target: "100" }, { position: 2, action: "quickCall", target: "+33140000000" }],
    portal: { username: "tom.dubois", password: agentPassword, permissions: ["userPortalAccess"] },
  });
  const ines = new omni.Extension("ext-103", {
    tenantId, number: "103", name: "Inès Garcia", voicemail: false, loginRequired: true, agentId: agents[2].agentId,
    keys: [{ position: 1, action: "blf", target: "100" }, { position: 2, action: "switch" }],
  });

  const frontDesk = new omni.UserGroup("front-desk", {
    tenantId, name: "Front desk", memberIds: [reception.extensionId, tom.extensionId, ines.extensionId], queueId: support.queueId,
  });
  const mainNumber = new omni.IncomingNumber("main-number", {
    tenantId, number: "+33140000000", destination: { type: "extension", target: "100" },
  });

  const expiresAt = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 2, 1)).toISOString();
  const eventsToken = new omni.IntegrationCredential("events-token", {
    tenantId, name: "Events sync", kind: "apiToken", scopes: ["events:read"], expiresAt,
  });
  const chatWebhook = new omni.IntegrationCredential("chat-webhook", {
    tenantId, name: "Chat closed webhook", kind: "webhook",
    settings: { url: "https://hooks.acme.example.com/omnitenant", events: ["chat.closed", "agent.assigned"] },
  });
  const crm = new omni.IntegrationCredential("hubspot", {
    tenantId, name: "HubSpot", kind: "hubspot", settings: { portalId: "4242" },
    secrets: { apiKey: config.getSecret("hubspotApiKey") ?? pulumi.secret("hs-quickstart-key") },
    agentIds: [agents[0].agentId, agents[4].agentId],
  });

  return {
    portalUrl: tenant.portalUrl,
    instanceNumber: tenant.instanceNumber,
    tenantId,
    queueIds: [billing.queueId, support.queueId],
    agentIds: agents.map((a) => a.agentId),
    extensionIds: [reception, lea, tom, ines].map((e) => e.extensionId),
    userGroupId: frontDesk.userGroupId,
    incomingNumberId: mainNumber.incomingNumberId,
    credentialIds: [eventsToken, chatWebhook, crm].map((c) => c.credentialId),
    eventsToken: eventsToken.token,
    webhookSigningSecret: chatWebhook.signingSecret,
  };
}
