import { z } from "zod";
import { country, email, fqdn, language, name, objectId, objectMeta, password, timeZone, username } from "./common";

export const organizationSizes = ["1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5000+"] as const;

const limit = (what: string) => z.number().int().min(0).max(1_000_000).describe(what);

export const capabilities = z
  .strictObject({
    maxAgents: limit("Maximum number of agents that can be added to the tenant."),
    diskQuotaGb: limit("Maximum storage in GB for files, media and logs."),
    maxWidgets: limit("Maximum number of chat widgets."),
    maxChannelAccounts: limit("Maximum number of integrated channel accounts: credentials of a CRM (zoho, salesforce, hubspot), telephony (netsapiens, portaone, bicom) or iris kind."),
    maxWorkflows: limit("Maximum number of automated workflows."),
    maxCannedMessages: limit("Maximum number of canned (templated) messages."),
    maxExtensions: limit("Maximum number of PBX extensions."),
  })
  .describe("Capability limits of the tenant's plan. The platform refuses a create past a limit, and lowering a limit below what is in use.");
export type Capabilities = z.infer<typeof capabilities>;

export const tenantAdmin = z
  .strictObject({
    username: username.describe("The primary administrator's login."),
    password: password.describe("The administrator's initial password (secret; write-only, stored hashed)."),
    firstName: name.describe("The administrator's first name."),
    email: email.describe("The administrator's email, for recovery and alerts."),
  })
  .describe("The primary administrator account, created with the tenant.");

/** What a user declares, and the body of `POST /v1/tenants`. */
export const tenantInputs = z.strictObject({
  companyName: name.describe("Official company name, used for identification and branding."),
  organizationSize: z.enum(organizationSizes).describe("Approximate number of employees."),
  country: country.describe("Primary country, ISO 3166-1 alpha-2 (e.g. FR)."),
  fqdn: fqdn.describe("Unique FQDN of the tenant's instance (e.g. acme.pbx.example.com); replaces the tenant when changed."),
  timeZone: timeZone.describe("Site time zone, IANA name (e.g. Europe/Paris)."),
  language: language.describe("System language, BCP 47 tag (e.g. en-US)."),
  admin: tenantAdmin,
  capabilities,
  plan: z.string().min(1).max(60).optional().describe("Name of the reseller plan the capabilities come from (checked by the quotas policy pack)."),
  deletionProtection: z.boolean().default(false).describe("When true the platform refuses to delete the tenant."),
});
export type TenantInputs = z.input<typeof tenantInputs>;

/** Body of `PATCH /v1/tenants/{tenantId}`: any input but the FQDN (which replaces). */
export const tenantPatch = tenantInputs.omit({ fqdn: true }).partial().extend({
  plan: tenantInputs.shape.plan.unwrap().nullable().optional().describe("The reseller plan; null clears it."),
  admin: tenantAdmin.partial().optional(),
  capabilities: capabilities.partial().optional(),
});

/** What the platform returns. The admin password is never returned. */
export const tenantObject = tenantInputs.omit({ admin: true }).extend({
  tenantId: objectId("ten").describe("The tenant's id."),
  instanceNumber: z.number().int().min(1).describe("Instance number; 1 is the reserved management instance, customers start at 2."),
  reserved: z.boolean().describe("True for the management instance (instance 1): listed and readable by the operator, never changed, deleted or given objects through the API."),
  portalUrl: z.string().describe("URL of the tenant's portal."),
  defaultQueueId: objectId("que").nullable().describe("Id of the default queue created with the tenant (null for the management instance only)."),
  admin: tenantAdmin.omit({ password: true }),
  usage: z
    .object({ agents: z.number(), extensions: z.number(), channelAccounts: z.number() })
    .describe("What the tenant uses of its capabilities."),
  ...objectMeta,
});
export type TenantObject = z.infer<typeof tenantObject>;
