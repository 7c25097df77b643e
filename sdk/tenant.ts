import * as pulumi from "@pulumi/pulumi";
import type { TenantInputs } from "../provider/schemas";
import type { DeepInput, In } from "./types";
import { dynamicProvider } from "./provider-shim";
import { resourceInputs, secretOptions, secretOutputs, claimNaturalKey, idOutputFromResourceId } from "./resource";

type Admin = TenantInputs["admin"];
type Caps = TenantInputs["capabilities"];

/** The tenant's primary administrator, created with the tenant. */
export interface TenantAdminArgs {
  /** The administrator's login. */
  username: DeepInput<Admin["username"]>;
  /** Initial password, at least 8 characters. Always stored as a secret; write-only on the platform. */
  password: DeepInput<Admin["password"]>;
  /** The administrator's first name. */
  firstName: DeepInput<Admin["firstName"]>;
  /** The administrator's email, for login recovery and alerts. */
  email: DeepInput<Admin["email"]>;
}

/** Capability limits of the tenant's plan. The platform refuses a create past a limit. */
export interface TenantCapabilitiesArgs {
  /** Maximum number of agents. */
  maxAgents: DeepInput<Caps["maxAgents"]>;
  /** Maximum storage in GB for files, media and logs. */
  diskQuotaGb: DeepInput<Caps["diskQuotaGb"]>;
  /** Maximum number of chat widgets. */
  maxWidgets: DeepInput<Caps["maxWidgets"]>;
  /** Maximum number of channel accounts (CRM, telephony and IRIS credentials). */
  maxChannelAccounts: DeepInput<Caps["maxChannelAccounts"]>;
  /** Maximum number of automated workflows. */
  maxWorkflows: DeepInput<Caps["maxWorkflows"]>;
  /** Maximum number of canned messages. */
  maxCannedMessages: DeepInput<Caps["maxCannedMessages"]>;
  /** Maximum number of PBX extensions. */
  maxExtensions: DeepInput<Caps["maxExtensions"]>;
}

export interface TenantArgs {
  /** Official company name, used for identification and branding. */
  companyName: DeepInput<TenantInputs["companyName"]>;
  /** Approximate number of employees: "1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000" or "5000+". */
  organizationSize: DeepInput<TenantInputs["organizationSize"]>;
  /** Primary country, ISO 3166-1 alpha-2 in upper case (e.g. "FR"). */
  country: DeepInput<TenantInputs["country"]>;
  /** Unique FQDN of the tenant's instance (e.g. "acme.pbx.example.com"). Changing it replaces the tenant. */
  fqdn: DeepInput<TenantInputs["fqdn"]>;
  /** Site time zone, an IANA name (e.g. "Europe/Paris"). */
  timeZone: DeepInput<TenantInputs["timeZone"]>;
  /** System language, a canonical BCP 47 tag (e.g. "en-US"). */
  language: DeepInput<TenantInputs["language"]>;
  /** The primary administrator account; `admin.password` is always secret. */
  admin: pulumi.Input<TenantAdminArgs>;
  /** Capability limits of the plan. */
  capabilities: pulumi.Input<TenantCapabilitiesArgs>;
  /** Name of the reseller plan the capabilities come from (checked by the quotas policy pack). */
  plan?: In<TenantInputs["plan"]>;
  /** When true the platform refuses to delete the tenant. Default false. */
  deletionProtection?: In<TenantInputs["deletionProtection"]>;
  /** Bring an existing tenant with the same FQDN under management (set to this configuration) instead of failing with a conflict. */
  adopt?: pulumi.Input<boolean>;
}

const provider = dynamicProvider("tenant", "tenantProvider");
const outputNames = ["tenantId", "instanceNumber", "portalUrl", "defaultQueueId", "revision", "companyName", "organizationSize", "country", "fqdn", "timeZone", "language", "admin", "capabilities", "plan", "deletionProtection"] as const;

/**
 * A customer tenant: an instance of the platform with its company profile, administrator and plan
 * limits. Customers start at instance 2; instance 1, the management instance, is never touched.
 *
 * Lifecycle: changing `fqdn` replaces the tenant (a new instance; the old one is deleted after the
 * new one exists). Every other change — company profile, time zone, language, administrator (key by
 * key, password included), capabilities (key by key), plan, deletion protection — updates in place.
 * A tenant with `deletionProtection: true` cannot be deleted or replaced until that is set to false:
 * it is also Pulumi-`protect`ed, so a destroy or a replacement stops before anything in it is deleted.
 */
export class Tenant extends pulumi.dynamic.Resource {
  /** The tenant's id (`ten_…`), used as `tenantId` by everything in it. */
  declare public readonly tenantId: pulumi.Output<string>;
  /** Instance number on the platform: 2 or more. */
  declare public readonly instanceNumber: pulumi.Output<number>;
  /** URL of the tenant's portal. */
  declare public readonly portalUrl: pulumi.Output<string>;
  /** Id of the default queue created with the tenant; agents without `queueIds` join it. */
  declare public readonly defaultQueueId: pulumi.Output<string>;
  /** The platform's revision of the tenant (its ETag), used for safe updates. */
  declare public readonly revision: pulumi.Output<number>;
  /** Official company name. */
  declare public readonly companyName: pulumi.Output<string>;
  /** Approximate number of employees. */
  declare public readonly organizationSize: pulumi.Output<string>;
  /** Primary country, ISO 3166-1 alpha-2. */
  declare public readonly country: pulumi.Output<string>;
  /** The instance's FQDN. */
  declare public readonly fqdn: pulumi.Output<string>;
  /** Site time zone. */
  declare public readonly timeZone: pulumi.Output<string>;
  /** System language. */
  declare public readonly language: pulumi.Output<string>;
  /** The administrator account (secret, as it holds the password). */
  declare public readonly admin: pulumi.Output<{ username: string; password: string; firstName: string; email: string }>;
  /** Capability limits. */
  declare public readonly capabilities: pulumi.Output<{ [K in keyof Caps]: number }>;
  /** Reseller plan name. */
  declare public readonly plan: pulumi.Output<string | undefined>;
  /** Whether deletion is refused. */
  declare public readonly deletionProtection: pulumi.Output<boolean>;

  constructor(name: string, args: TenantArgs, opts?: pulumi.CustomResourceOptions) {
    claimNaturalKey("Tenant", name, "fqdn", args.fqdn);
    super(provider, name, resourceInputs("Tenant", name, args, ["admin"], outputNames), secretOptions(protection(name, args, opts), ["admin"]), "omnitenant", "Tenant");
    idOutputFromResourceId(this, "tenantId");
    secretOutputs(this, ["admin"]);
  }
}

/**
 * `deletionProtection: true` also sets Pulumi's `protect` option: the engine then refuses a destroy or
 * a replacement of the tenant before it deletes anything — without it, a destroy would delete every
 * agent, queue and extension of the tenant first and only then meet the platform's refusal.
 * `protect` must be known when the resource is declared, so a deletionProtection given as an Output
 * or a promise cannot set it: the platform still refuses the tenant's delete, and a warning says to
 * pass a plain boolean.
 */
function protection(name: string, args: TenantArgs, opts: pulumi.CustomResourceOptions | undefined): pulumi.CustomResourceOptions {
  const given = args.deletionProtection;
  if (pulumi.Output.isInstance(given) || given instanceof Promise) {
    pulumi.log.warn(
      `Tenant "${name}": deletionProtection is an Output, so Pulumi cannot protect the tenant's contents from a destroy ` +
        "(the platform still refuses to delete the tenant itself). Pass a plain true or false.",
    );
    return opts ?? {};
  }
  return given === true ? { ...opts, protect: true } : opts ?? {};
}
