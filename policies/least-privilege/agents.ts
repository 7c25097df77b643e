/** Least-privilege rules on agents: roles, admins per tenant, the test role, queues. */
import * as pulumi from "@pulumi/pulumi";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { Role } from "../../provider/schemas";
import { configRegExp, readConfig } from "../shared/config";
import { message } from "../shared/messages";
import { kindOf, rawProps, show, str, strings, UNKNOWN } from "../shared/resources";
import { groupByTenant, TenantIndex } from "../shared/tenants";
import { forKind } from "../shared/validate";
import type { AgentRolesConfig, AgentExplicitQueuesConfig, MaxAdminsPerTenantConfig, NoTestRoleInProductionConfig } from "./config";
import { configSchema } from "./schemas";

/** Roles as the platform applies them: `agent` alone when the program names none. */
const rolesOf = (props: Record<string, unknown>) => {
  const roles = strings(props, "roles");
  return roles === undefined ? ["agent"] : roles;
};

export function agentRolesPolicy(): ResourceValidationPolicy {
  const name = "agent-roles";
  const schema = configSchema(name);
  return {
    name,
    description: "Agents have the `agent` role alone, unless the policy config grants their account more roles (grants: account → roles).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateResource: forKind("Agent", (props, args, report) => {
      const { grants } = readConfig<AgentRolesConfig>(name, schema, args.getConfig());
      const roles = rolesOf(props);
      const account = str(props, "account");
      // Unknown during a preview: decided when the resource is registered with known inputs.
      if (roles === UNKNOWN || account === UNKNOWN) return;
      const granted = new Set<string>(account ? grants[account] ?? [] : []);
      const extra = roles.filter((r) => r !== "agent" && !granted.has(r));
      if (extra.length === 0) return;
      const wanted = [...new Set([...granted, ...extra])];
      report(
        message(args, {
          rule: `roles beyond "agent" need a grant for account ${show(account)} in the policy config, and ${extra.map((r) => show(r)).join(", ")} ${extra.length > 1 ? "are" : "is"} not granted`,
          value: `roles ${show(roles)}`,
          fix: `remove ${extra.map((r) => show(r)).join(", ")} from roles, or grant ${extra.length > 1 ? "them" : "it"} in the policy pack config: {"${name}": {"grants": {${show(account)}: ${show(wanted)}}}}`,
        }),
      );
    }),
  };
}

export function maxAdminsPerTenantPolicy(): StackValidationPolicy {
  const name = "max-admins-per-tenant";
  const schema = configSchema(name);
  return {
    name,
    description: "A tenant has at most maxAdmins agents with the `admin` role (default 2), counted across the stack.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateStack: (args, report) => {
      const { maxAdmins } = readConfig<MaxAdminsPerTenantConfig>(name, schema, args.getConfig());
      const admins = args.resources.filter((r) => {
        if (kindOf(r.type) !== "Agent") return false;
        const roles = rolesOf(rawProps(r.props));
        return roles !== UNKNOWN && roles.includes("admin");
      });
      for (const { ref, members } of groupByTenant(new TenantIndex(args.resources), admins).values()) {
        if (members.length <= maxAdmins) continue;
        members.sort((a, b) => a.name.localeCompare(b.name)); // the engine's order is registration order
        const target = ref.tenant ?? members[members.length - 1];
        const excess = members.length - maxAdmins;
        report(
          message(target, {
            rule: `${ref.tenant ? "this tenant" : ref.label} may have at most ${maxAdmins} agents with the "admin" role, and the stack gives ${members.length} agents that role`,
            value: `admin agents ${members.map((m) => show(m.name)).join(", ")}`,
            fix: `take "admin" from ${excess} of them (supervisor covers team analytics and queue configuration), or raise maxAdmins in the policy pack config: {"${name}": {"maxAdmins": ${members.length}}}`,
          }),
          target.urn,
        );
      }
    },
  };
}

export function noTestRoleInProductionPolicy(stack: () => string = pulumi.getStack): ResourceValidationPolicy {
  const name = "no-test-role-in-production";
  const schema = configSchema(name);
  return {
    name,
    description: "On a production stack (stack name matching productionStackPattern, default ^(prod|production)(-|$)), no agent has the `test` role.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateResource: forKind("Agent", (props, args, report) => {
      const { productionStackPattern } = readConfig<NoTestRoleInProductionConfig>(name, schema, args.getConfig());
      const pattern = configRegExp(name, "productionStackPattern", productionStackPattern);
      const roles = rolesOf(props);
      if (roles === UNKNOWN || !roles.includes("test" satisfies Role)) return;
      const stackName = stack();
      if (!pattern.test(stackName)) return;
      report(
        message(args, {
          rule: `stack "${stackName}" is a production stack (it matches ${pattern}) and no agent may have the "test" role there`,
          value: `roles ${show(roles)}`,
          fix: `remove "test" from roles, or deploy test agents to a non-production stack`,
        }),
      );
    }),
  };
}

export function agentExplicitQueuesPolicy(): ResourceValidationPolicy {
  const name = "agent-explicit-queues";
  const schema = configSchema(name);
  return {
    name,
    description: "Every agent names the queues it serves in queueIds (at least one), instead of falling back to the tenant's default queue.",
    enforcementLevel: "mandatory",
    severity: "medium",
    configSchema: schema,
    validateResource: forKind("Agent", (props, args, report) => {
      readConfig<AgentExplicitQueuesConfig>(name, schema, args.getConfig());
      const queueIds = strings(props, "queueIds");
      // An unknown list (or ids of queues still to be created) is an explicit list.
      if (queueIds === UNKNOWN || (queueIds && queueIds.length > 0)) return;
      report(
        message(args, {
          rule: "an agent sees only the traffic of the queues it is scoped to, so it must name them explicitly",
          value: `queueIds ${queueIds === undefined ? "not set" : "[]"}`,
          fix: "set queueIds to the queues the agent serves, e.g. queueIds: [billing.queueId]",
        }),
      );
    }),
  };
}
