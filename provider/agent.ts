/**
 * Agent: a contact-center user. The tenant and the account (its login, unique per tenant) replace;
 * everything else, the password included, updates in place. Without `queueIds` the platform puts
 * the agent in the tenant's default queue, and diff leaves that choice alone.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { agentInputs, kinds } from "./schemas";
import { checkInputs } from "./check";
import { createObject, deleteObject, diffInputs, readObject, updateObject, type KindDescriptor } from "./lifecycle";

export const agentKind: KindDescriptor = {
  spec: kinds.Agent,
  fields: ["tenantId", "account", "password", "firstName", "lastName", "alias", "email", "phone", "queueIds", "roles", "skills"],
  replaceOn: ["tenantId", "account"],
  writeOnly: ["password"],
  platformDefaulted: ["queueIds"],
  secretValues: (i) => [i.password].filter((s): s is string => typeof s === "string"),
};

export const agentProvider = {
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => checkInputs(agentInputs, news),
  diff: async (_id: string, olds: Record<string, any>, news: Record<string, any>) => diffInputs(agentKind, olds, news),
  create: (inputs: Record<string, any>) => createObject(agentKind, inputs),
  read: (id: string, props: Record<string, any> = {}) => readObject(agentKind, id, props),
  update: (id: string, olds: Record<string, any>, news: Record<string, any>) => updateObject(agentKind, id, olds, news),
  delete: (id: string, props: Record<string, any>) => deleteObject(agentKind, id, props),
} satisfies ResourceProvider;
