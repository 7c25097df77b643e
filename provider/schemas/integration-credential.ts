import { z } from "zod";
import { name, objectId, objectMeta, tenantId, unique } from "./common";
import { limits } from "./limits";

export const crmKinds = ["zoho", "salesforce", "hubspot"] as const;
export const telephonyKinds = ["netsapiens", "portaone", "bicom"] as const;
export const credentialKinds = [...crmKinds, ...telephonyKinds, "apiToken", "oauth2Client", "webhook", "modelProvider", "iris"] as const;
export type CredentialKind = (typeof credentialKinds)[number];

/** Kinds that count against `capabilities.maxChannelAccounts`: accounts that connect a channel or a CRM. */
export const channelAccountKinds: readonly CredentialKind[] = [...crmKinds, ...telephonyKinds, "iris"];

/** API token scopes: syncing user events, automating provisioning, pulling transcripts or activity logs. */
export const apiTokenScopes = ["events:read", "provisioning:write", "transcripts:read", "activity:read"] as const;

export const webhookEvents = [
  "chat.created", "chat.closed", "chat.transferred", "agent.assigned", "agent.created", "agent.updated",
  "queue.updated", "call.started", "call.ended",
] as const;

const url = (what: string) => z.string().max(limits.urlLength).url(`must be a URL, e.g. https://example.com/${what}`);

/** Write-only secrets: bounded in number, key length and value length. */
const secretMap = z
  .record(
    z.string().min(1).max(limits.secretKeyLength).regex(/^[A-Za-z0-9_.-]+$/, "must be a secret name of letters, digits, '_', '.' or '-'"),
    z.string().min(1).max(limits.secretValueLength),
  )
  .refine((m) => Object.keys(m).length <= limits.secretEntries, { message: `must hold at most ${limits.secretEntries} secrets` })
  .meta({ maxProperties: limits.secretEntries });

const settingsMap = z
  .record(z.string().max(64), z.unknown())
  .refine((m) => Object.keys(m).length <= limits.settingsEntries, { message: `must hold at most ${limits.settingsEntries} settings` })
  .meta({ maxProperties: limits.settingsEntries });

const scopeList = z.array(z.string().min(1).max(limits.scopeLength)).max(limits.scopes);
const agentIdList = z.array(objectId("agt")).max(limits.agentIdsPerCredential);

/** Settings of each kind; secrets (client secrets, API keys) go in `secrets`, never here. */
export const settingsByKind = {
  zoho: z.strictObject({
    instanceUrl: url("crm").optional().describe("CRM instance URL."),
    syncContacts: z.boolean().default(true),
    syncCases: z.boolean().default(true),
    syncChatHistory: z.boolean().default(true),
  }),
  salesforce: z.strictObject({
    instanceUrl: url("crm").optional().describe("Salesforce instance URL."),
    syncCases: z.boolean().default(true),
    syncAccounts: z.boolean().default(true),
  }),
  hubspot: z.strictObject({
    portalId: z.string().max(40).optional().describe("HubSpot portal id."),
    syncDeals: z.boolean().default(true),
    syncTickets: z.boolean().default(true),
    syncContacts: z.boolean().default(true),
  }),
  netsapiens: z.strictObject({ serverUrl: url("ns-api").describe("NetSapiens API URL."), domain: z.string().max(253).optional(), clickToCall: z.boolean().default(true), callLogging: z.boolean().default(true) }),
  portaone: z.strictObject({ serverUrl: url("porta").describe("PortaOne API URL."), clickToCall: z.boolean().default(true), callLogging: z.boolean().default(true) }),
  bicom: z.strictObject({ serverUrl: url("bicom").describe("Bicom PBXware URL."), clickToCall: z.boolean().default(true), callLogging: z.boolean().default(true) }),
  apiToken: z.strictObject({}),
  oauth2Client: z.strictObject({
    redirectUris: z.array(url("callback")).min(1, "must list at least one redirect URI").max(limits.redirectUris).describe("Allowed OAuth2 redirect URIs."),
  }),
  webhook: z.strictObject({
    url: url("hooks").describe("Where events are POSTed (https expected; the least-privilege pack enforces it)."),
    events: z
      .array(z.enum(webhookEvents))
      .min(1, "must subscribe to at least one event")
      .refine(unique, { message: "must not repeat an event" })
      .describe("Events delivered, e.g. chat.closed, agent.assigned."),
  }),
  modelProvider: z.strictObject({
    provider: z.string().min(1).max(60).describe("Model provider name."),
    model: z.string().min(1).max(120).describe("Model name."),
    autoSuggest: z.boolean().default(true).describe("Suggest replies to agents."),
    summaries: z.boolean().default(true).describe("Summarize chats."),
    firstResponseSlaSeconds: z.number().int().min(1).max(86_400).optional().describe("First-response SLA the assistant helps meet."),
  }),
  iris: z.strictObject({ softphoneEnabled: z.boolean().default(true).describe("Enable the IRIS softphone for tagged agents.") }),
} satisfies Record<CredentialKind, z.ZodTypeAny>;

export const credentialInputs = z
  .strictObject({
    tenantId,
    name: name.describe("Credential name, unique in the tenant; the natural key."),
    kind: z.enum(credentialKinds).describe("zoho, salesforce, hubspot, netsapiens, portaone, bicom, apiToken, oauth2Client, webhook, modelProvider or iris."),
    settings: settingsMap.default({}).describe("Settings of the kind (see settingsByKind)."),
    secrets: secretMap
      .optional()
      .describe("Secrets the integration needs (client secret, API key); write-only, stored encrypted, never returned."),
    scopes: scopeList
      .refine(unique, { message: "must not repeat a scope" })
      .optional()
      .describe("Scopes of an apiToken (events:read, provisioning:write, transcripts:read, activity:read) or an oauth2Client."),
    expiresAt: z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time, e.g. 2027-01-31T00:00:00Z" }).optional().describe("Expiry of an apiToken or oauth2Client."),
    agentIds: agentIdList
      .refine(unique, { message: "must not repeat an agent" })
      .default([])
      .describe("Agents whose profile the integration is tagged to."),
  })
  .superRefine((c, ctx) => {
    const settings = settingsByKind[c.kind].safeParse(c.settings ?? {});
    if (!settings.success) {
      for (const issue of settings.error.issues) {
        ctx.addIssue({ code: "custom", path: ["settings", ...issue.path.map(String)], message: issue.message });
      }
    }
    const scoped = c.kind === "apiToken" || c.kind === "oauth2Client";
    if (scoped && (!c.scopes || c.scopes.length === 0)) {
      ctx.addIssue({ code: "custom", path: ["scopes"], message: `an ${c.kind} needs at least one scope, e.g. ["events:read"]` });
    }
    if (!scoped && c.scopes !== undefined) {
      ctx.addIssue({ code: "custom", path: ["scopes"], message: `a ${c.kind} credential takes no scopes; remove them` });
    }
    if (c.kind === "apiToken") {
      (c.scopes ?? []).forEach((s, i) => {
        if (s !== "*" && !(apiTokenScopes as readonly string[]).includes(s)) {
          ctx.addIssue({ code: "custom", path: ["scopes", i], message: `unknown API token scope ${JSON.stringify(s)}; use one of ${apiTokenScopes.join(", ")}` });
        }
      });
    }
    if (!scoped && c.expiresAt !== undefined) {
      ctx.addIssue({ code: "custom", path: ["expiresAt"], message: `a ${c.kind} credential takes no expiry; remove it` });
    }
  });
export type CredentialInputs = z.input<typeof credentialInputs>;

export const credentialPatch = z
  .strictObject({
    settings: settingsMap,
    secrets: secretMap,
    scopes: scopeList,
    expiresAt: z.iso.datetime({ offset: true }).nullable(),
    agentIds: agentIdList,
  })
  .partial();

export const credentialObject = z.object({
  tenantId,
  name: z.string(),
  kind: z.enum(credentialKinds),
  settings: z.record(z.string(), z.unknown()),
  scopes: z.array(z.string()).optional(),
  expiresAt: z.string().optional(),
  agentIds: z.array(objectId("agt")),
  credentialId: objectId("crd").describe("The credential's id."),
  clientId: z.string().optional().describe("OAuth2 client id (oauth2Client)."),
  secretKeys: z.array(z.string()).describe("Names of the stored secrets (their values are never returned)."),
  token: z.string().optional().describe("The API token (apiToken); returned only by the create."),
  clientSecret: z.string().optional().describe("The OAuth2 client secret (oauth2Client); returned only by the create."),
  signingSecret: z.string().optional().describe("The webhook signing secret (webhook); returned only by the create."),
  ...objectMeta,
});
export type CredentialObject = z.infer<typeof credentialObject>;
