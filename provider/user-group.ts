/**
 * UserGroup: extensions grouped to serve a queue (staged: saved, then applied). The tenant
 * replaces; name, members and queue update in place.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { kinds, userGroupInputs } from "./schemas";
import { checkInputs } from "./check";
import { countingStagedWrites } from "./apply";
import { createObject, deleteObject, diffInputs, readObject, updateObject, type KindDescriptor } from "./lifecycle";

export const userGroupKind: KindDescriptor = {
  spec: kinds.UserGroup,
  fields: ["tenantId", "name", "memberIds", "queueId"],
  replaceOn: ["tenantId"],
  writeOnly: [],
  secretValues: () => [],
};

export const userGroupProvider = countingStagedWrites({
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => checkInputs(userGroupInputs, news),
  diff: async (_id: string, olds: Record<string, any>, news: Record<string, any>) => diffInputs(userGroupKind, olds, news),
  create: (inputs: Record<string, any>) => createObject(userGroupKind, inputs),
  read: (id: string, props: Record<string, any> = {}) => readObject(userGroupKind, id, props),
  update: (id: string, olds: Record<string, any>, news: Record<string, any>) => updateObject(userGroupKind, id, olds, news),
  delete: (id: string, props: Record<string, any>) => deleteObject(userGroupKind, id, props),
} satisfies ResourceProvider);
