/**
 * Parameters of the least-privilege policies. Each interface is the config of one policy: its name
 * is the policy name in PascalCase plus `Config` (`AgentRolesConfig` → `agent-roles`).
 * scripts/gen-policy-schemas.mjs turns these into config-schema.json; JSDoc tags become schema
 * keywords (`@default` values are applied by the engine when the config omits the property).
 */
import type { PortalPermission, Role } from "../../provider/schemas";

export interface AgentRolesConfig {
  /**
   * Roles granted beyond `agent`, by agent account (e.g. `{"jane.doe": ["supervisor"]}`).
   * An account that is not listed gets the `agent` role alone.
   * @default {}
   */
  grants?: { [account: string]: Role[] };
}

export interface MaxAdminsPerTenantConfig {
  /**
   * Most agents with the `admin` role in one tenant, counted across the stack.
   * @TJS-type integer
   * @minimum 0
   * @default 2
   */
  maxAdmins?: number;
}

export interface NoTestRoleInProductionConfig {
  /**
   * Regular expression matched against the stack name; a matching stack is a production stack,
   * where no agent may have the `test` role.
   * @minLength 1
   * @default "^(prod|production)(-|$)"
   */
  productionStackPattern?: string;
}

export interface PortalPermissionsConfig {
  /**
   * Portal usernames allowed permissions beyond `userPortalAccess`, with the permissions each may
   * have (e.g. `{"pbx-admin": ["userManagement", "applyChanges"]}`).
   * @default {}
   */
  allowList?: { [username: string]: PortalPermission[] };
}

/** Scopes of apiToken and oauth2Client credentials: explicit, never a wildcard. No parameters. */
export interface ApiCredentialScopesConfig {}

export interface ApiCredentialLifetimeConfig {
  /**
   * Longest lifetime of an apiToken or oauth2Client, in days from the time of the check.
   * @TJS-type integer
   * @minimum 1
   * @maximum 3650
   * @default 90
   */
  maxLifetimeDays?: number;
}

/** Webhook URLs use https. No parameters. */
export interface WebhookHttpsOnlyConfig {}

/** CRM and telephony credentials name at least one agent. No parameters. */
export interface IntegrationTaggedToAgentConfig {}

/** Agents name their queues explicitly. No parameters. */
export interface AgentExplicitQueuesConfig {}
