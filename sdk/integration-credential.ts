import * as pulumi from "@pulumi/pulumi";
import type { CredentialInputs, CredentialKind } from "../provider/schemas";
import type { DeepInput, In } from "./types";
import { dynamicProvider } from "./provider-shim";
import { resourceInputs, secretOptions, secretOutputs, claimNaturalKey, idOutputFromResourceId } from "./resource";

export interface IntegrationCredentialArgs {
  /** The tenant (`Tenant.tenantId`). Changing it replaces the credential. */
  tenantId: DeepInput<CredentialInputs["tenantId"]>;
  /** Credential name, unique in the tenant. Changing it replaces the credential. */
  name: DeepInput<CredentialInputs["name"]>;
  /** zoho, salesforce, hubspot, netsapiens, portaone, bicom, apiToken, oauth2Client, webhook, modelProvider or iris. Changing it replaces the credential. */
  kind: DeepInput<CredentialInputs["kind"]>;
  /** Settings of the kind, e.g. `{ url, events }` for a webhook, `{ redirectUris }` for an OAuth2 client, `{ serverUrl }` for telephony. */
  settings?: In<CredentialInputs["settings"]>;
  /** Secrets the integration needs (client secret, API key). Always stored as secrets; write-only on the platform. */
  secrets?: In<CredentialInputs["secrets"]>;
  /** Scopes of an apiToken (events:read, provisioning:write, transcripts:read, activity:read) or oauth2Client; required for those, refused for others. */
  scopes?: In<CredentialInputs["scopes"]>;
  /** Expiry (ISO 8601) of an apiToken or oauth2Client. */
  expiresAt?: In<CredentialInputs["expiresAt"]>;
  /** Agents whose profile the integration is tagged to (`Agent.agentId`). */
  agentIds?: In<CredentialInputs["agentIds"]>;
  /** Bring an existing credential with the same name under management (set to this configuration) instead of failing with a conflict. */
  adopt?: pulumi.Input<boolean>;
}

const provider = dynamicProvider("integration-credential", "credentialProvider");
const outputNames = ["credentialId", "token", "clientSecret", "signingSecret", "clientId", "secretKeys", "revision", "tenantId", "name", "kind", "settings", "secrets", "scopes", "expiresAt", "agentIds"] as const;
const secretNames = ["secrets", "token", "clientSecret", "signingSecret"];

/**
 * An integration of a tenant: a CRM (Zoho, Salesforce, HubSpot), telephony (NetSapiens, PortaOne,
 * Bicom), an API token, an OAuth2 client, a webhook, a model provider or the IRIS softphone, with
 * the agents it is tagged to. Generated values — the API token, the OAuth2 client secret, the
 * webhook signing secret — are returned once, at creation, and kept as secrets in the state.
 *
 * Lifecycle: changing `tenantId`, `name` or `kind` replaces the credential (and generates new
 * secrets). Settings, secrets, scopes, expiry and tagged agents update in place.
 */
export class IntegrationCredential extends pulumi.dynamic.Resource {
  /** The credential's id (`crd_…`). */
  declare public readonly credentialId: pulumi.Output<string>;
  /** The API token of an apiToken (secret). */
  declare public readonly token: pulumi.Output<string | undefined>;
  /** The client secret of an oauth2Client (secret). */
  declare public readonly clientSecret: pulumi.Output<string | undefined>;
  /** The signing secret of a webhook (secret). */
  declare public readonly signingSecret: pulumi.Output<string | undefined>;
  /** The client id of an oauth2Client. */
  declare public readonly clientId: pulumi.Output<string | undefined>;
  /** Names of the stored secrets. */
  declare public readonly secretKeys: pulumi.Output<string[]>;
  /** The platform's revision (its ETag). */
  declare public readonly revision: pulumi.Output<number>;
  /** The tenant. */
  declare public readonly tenantId: pulumi.Output<string>;
  /** Credential name. */
  declare public readonly name: pulumi.Output<string>;
  /** Kind. */
  declare public readonly kind: pulumi.Output<CredentialKind>;
  /** Settings, with the defaults of the kind. */
  declare public readonly settings: pulumi.Output<Record<string, unknown>>;
  /** The secrets last set by Pulumi (secret). */
  declare public readonly secrets: pulumi.Output<Record<string, string> | undefined>;
  /** Scopes. */
  declare public readonly scopes: pulumi.Output<string[] | undefined>;
  /** Expiry. */
  declare public readonly expiresAt: pulumi.Output<string | undefined>;
  /** Tagged agents. */
  declare public readonly agentIds: pulumi.Output<string[]>;

  constructor(name: string, args: IntegrationCredentialArgs, opts?: pulumi.CustomResourceOptions) {
    claimNaturalKey("IntegrationCredential", name, "name", args.name, args.tenantId);
    super(provider, name, resourceInputs("IntegrationCredential", name, args, ["secrets"], outputNames), secretOptions(opts, secretNames), "omnitenant", "IntegrationCredential");
    idOutputFromResourceId(this, "credentialId");
    secretOutputs(this, secretNames);
  }
}
