/**
 * omnitenant: infrastructure as code for multi-tenant contact-center and cloud-PBX platforms.
 *
 * ```ts
 * import * as omni from "omnitenant";
 * const tenant = new omni.Tenant("acme", { ... });
 * new omni.Agent("alice", { tenantId: tenant.tenantId, ... });
 * ```
 */
export { Tenant, type TenantArgs, type TenantAdminArgs, type TenantCapabilitiesArgs } from "./tenant";
export { Agent, type AgentArgs } from "./agent";
export { Queue, type QueueArgs } from "./queue";
export {
  Extension, type ExtensionArgs, type ExtensionKeyArgs, type ExtensionPortalArgs, type ForwardingArgs, type FollowMeArgs,
  type RingDestinationArgs, type SipIdentifiers,
} from "./extension";
export { UserGroup, type UserGroupArgs } from "./user-group";
export { IncomingNumber, type IncomingNumberArgs, type IncomingNumberDestinationArgs } from "./incoming-number";
export { IntegrationCredential, type IntegrationCredentialArgs } from "./integration-credential";
export * from "./lookups";
export {
  OmnitenantApiError, ValidationError, ConflictError, QuotaError, NotFoundError, AuthError, ReservedInstanceError,
  PreconditionError, IdempotencyError, RateLimitError, ServerError, ConnectionError, ApplyRejectedError,
} from "../provider/errors";
export {
  roles, keyActions, portalPermissions, destinationTypes, credentialKinds, apiTokenScopes, webhookEvents, organizationSizes, queueChannels,
  type Role, type KeyAction, type PortalPermission, type DestinationType, type CredentialKind,
  type TenantInputs, type AgentInputs, type QueueInputs, type ExtensionInputs, type UserGroupInputs, type IncomingNumberInputs, type CredentialInputs,
  type TenantObject, type AgentObject, type QueueObject, type ExtensionObject, type UserGroupObject, type IncomingNumberObject, type CredentialObject,
} from "../provider/schemas";
/** The resource kinds and their type tokens: `pulumi-nodejs:dynamic/omnitenant:<Kind>`. */
export const typeTokens = {
  Tenant: "pulumi-nodejs:dynamic/omnitenant:Tenant",
  Agent: "pulumi-nodejs:dynamic/omnitenant:Agent",
  Queue: "pulumi-nodejs:dynamic/omnitenant:Queue",
  Extension: "pulumi-nodejs:dynamic/omnitenant:Extension",
  UserGroup: "pulumi-nodejs:dynamic/omnitenant:UserGroup",
  IncomingNumber: "pulumi-nodejs:dynamic/omnitenant:IncomingNumber",
  IntegrationCredential: "pulumi-nodejs:dynamic/omnitenant:IntegrationCredential",
} as const;
