/**
 * The registry of resource kinds: their schemas, their collection path under a tenant, their id
 * field and natural key. Both the platform and the provider read it, so a kind is declared once.
 */
import type { z } from "zod";
import { agentInputs, agentObject, agentPatch } from "./agent";
import { credentialInputs, credentialObject, credentialPatch } from "./integration-credential";
import { extensionInputs, extensionObject, extensionPatch } from "./extension";
import { incomingNumberInputs, incomingNumberObject, incomingNumberPatch } from "./incoming-number";
import { queueInputs, queueObject, queuePatch } from "./queue";
import { tenantInputs, tenantObject, tenantPatch } from "./tenant";
import { userGroupInputs, userGroupObject, userGroupPatch } from "./user-group";

export interface KindSpec {
  /** The SDK class name and type-token kind: `pulumi-nodejs:dynamic/omnitenant:<kind>`. */
  kind: string;
  /** Collection path: `/v1/tenants` for tenants, `/v1/tenants/{tenantId}/<path>` otherwise. */
  path: string;
  idField: string;
  idPrefix: string;
  /** The field that is unique (per tenant, or across the platform for tenants). */
  naturalKey: string;
  /** PBX objects are staged and take effect when the tenant's pending changes are applied. */
  staged: boolean;
  inputs: z.ZodTypeAny;
  patch: z.ZodTypeAny;
  object: z.ZodTypeAny;
}

export const kinds = {
  Tenant: { kind: "Tenant", path: "tenants", idField: "tenantId", idPrefix: "ten", naturalKey: "fqdn", staged: false, inputs: tenantInputs, patch: tenantPatch, object: tenantObject },
  Queue: { kind: "Queue", path: "queues", idField: "queueId", idPrefix: "que", naturalKey: "name", staged: false, inputs: queueInputs, patch: queuePatch, object: queueObject },
  Agent: { kind: "Agent", path: "agents", idField: "agentId", idPrefix: "agt", naturalKey: "account", staged: false, inputs: agentInputs, patch: agentPatch, object: agentObject },
  Extension: { kind: "Extension", path: "extensions", idField: "extensionId", idPrefix: "ext", naturalKey: "number", staged: true, inputs: extensionInputs, patch: extensionPatch, object: extensionObject },
  UserGroup: { kind: "UserGroup", path: "user-groups", idField: "userGroupId", idPrefix: "grp", naturalKey: "name", staged: true, inputs: userGroupInputs, patch: userGroupPatch, object: userGroupObject },
  IncomingNumber: { kind: "IncomingNumber", path: "incoming-numbers", idField: "incomingNumberId", idPrefix: "num", naturalKey: "number", staged: true, inputs: incomingNumberInputs, patch: incomingNumberPatch, object: incomingNumberObject },
  IntegrationCredential: { kind: "IntegrationCredential", path: "integrations", idField: "credentialId", idPrefix: "crd", naturalKey: "name", staged: false, inputs: credentialInputs, patch: credentialPatch, object: credentialObject },
} as const satisfies Record<string, KindSpec>;

export type KindName = keyof typeof kinds;

export * from "./common";
export * from "./limits";
export * from "./problems";
export * from "./tenant";
export * from "./queue";
export * from "./agent";
export * from "./extension";
export * from "./user-group";
export * from "./incoming-number";
export * from "./integration-credential";
export * from "./changes";
