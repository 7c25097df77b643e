import * as pulumi from "@pulumi/pulumi";
import type { AgentInputs, Role } from "../provider/schemas";
import type { DeepInput, In } from "./types";
import { dynamicProvider } from "./provider-shim";
import { resourceInputs, secretOptions, secretOutputs, claimNaturalKey, idOutputFromResourceId } from "./resource";

export interface AgentArgs {
  /** The tenant (`Tenant.tenantId`). Changing it replaces the agent. */
  tenantId: DeepInput<AgentInputs["tenantId"]>;
  /** Login, unique in the tenant. Changing it replaces the agent. */
  account: DeepInput<AgentInputs["account"]>;
  /** Initial password, at least 8 characters. Always stored as a secret; write-only on the platform. */
  password: DeepInput<AgentInputs["password"]>;
  /** First name. */
  firstName: DeepInput<AgentInputs["firstName"]>;
  /** Last name. */
  lastName?: In<AgentInputs["lastName"]>;
  /** Display name shown to customers. */
  alias: DeepInput<AgentInputs["alias"]>;
  /** Work email. */
  email: DeepInput<AgentInputs["email"]>;
  /** Contact number, E.164 (e.g. "+14155550123"). */
  phone?: In<AgentInputs["phone"]>;
  /** Queues whose traffic the agent sees (at least one). When omitted, the tenant's default queue, and later changes made on the platform are left alone. */
  queueIds?: In<AgentInputs["queueIds"]>;
  /** Roles: "agent" (default, least privilege), "supervisor", "admin", "test". */
  roles?: In<AgentInputs["roles"]>;
  /** Skill tags used for routing (e.g. "Spanish", "Tier 1"). */
  skills?: In<AgentInputs["skills"]>;
  /** Bring an existing agent with the same account under management (set to this configuration) instead of failing with a conflict. */
  adopt?: pulumi.Input<boolean>;
}

const provider = dynamicProvider("agent", "agentProvider");
const outputNames = ["agentId", "revision", "tenantId", "account", "password", "firstName", "lastName", "alias", "email", "phone", "queueIds", "roles", "skills"] as const;

/**
 * A contact-center agent of a tenant, with its queues, roles and skills.
 *
 * Lifecycle: changing `tenantId` or `account` replaces the agent. Every other change — password,
 * names, alias, email, phone, queues, roles, skills — updates in place.
 */
export class Agent extends pulumi.dynamic.Resource {
  /** The agent's id (`agt_…`). */
  declare public readonly agentId: pulumi.Output<string>;
  /** The platform's revision of the agent (its ETag). */
  declare public readonly revision: pulumi.Output<number>;
  /** The tenant. */
  declare public readonly tenantId: pulumi.Output<string>;
  /** Login. */
  declare public readonly account: pulumi.Output<string>;
  /** The password last set by Pulumi (secret). */
  declare public readonly password: pulumi.Output<string>;
  /** First name. */
  declare public readonly firstName: pulumi.Output<string>;
  /** Last name. */
  declare public readonly lastName: pulumi.Output<string | undefined>;
  /** Display name. */
  declare public readonly alias: pulumi.Output<string>;
  /** Work email. */
  declare public readonly email: pulumi.Output<string>;
  /** Contact number. */
  declare public readonly phone: pulumi.Output<string | undefined>;
  /** The agent's queues, the default queue included when it was chosen by the platform. */
  declare public readonly queueIds: pulumi.Output<string[]>;
  /** Roles. */
  declare public readonly roles: pulumi.Output<Role[]>;
  /** Skill tags. */
  declare public readonly skills: pulumi.Output<string[]>;

  constructor(name: string, args: AgentArgs, opts?: pulumi.CustomResourceOptions) {
    claimNaturalKey("Agent", name, "account", args.account, args.tenantId);
    super(provider, name, resourceInputs("Agent", name, args, ["password"], outputNames), secretOptions(opts, ["password"]), "omnitenant", "Agent");
    idOutputFromResourceId(this, "agentId");
    secretOutputs(this, ["password"]);
  }
}
