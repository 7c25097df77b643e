/** The least-privilege policies, in the order a reviewer reads them. */
import type { Policies } from "@pulumi/policy";
import { agentExplicitQueuesPolicy, agentRolesPolicy, maxAdminsPerTenantPolicy, noTestRoleInProductionPolicy } from "./agents";
import { apiCredentialLifetimePolicy, apiCredentialScopesPolicy, integrationTaggedToAgentPolicy, webhookHttpsOnlyPolicy } from "./credentials";
import { portalPermissionsPolicy } from "./extensions";

export interface LeastPrivilegeOptions {
  /** The stack name (default: the stack the engine runs the pack for). */
  stack?: () => string;
  /** The current time, for credential lifetimes. */
  now?: () => Date;
}

export const leastPrivilegePolicies = (opts: LeastPrivilegeOptions = {}): Policies => [
  agentRolesPolicy(),
  maxAdminsPerTenantPolicy(),
  noTestRoleInProductionPolicy(opts.stack),
  agentExplicitQueuesPolicy(),
  portalPermissionsPolicy(),
  apiCredentialScopesPolicy(),
  apiCredentialLifetimePolicy(opts.now),
  webhookHttpsOnlyPolicy(),
  integrationTaggedToAgentPolicy(),
];
