/**
 * Queue: a chat (or other channel) queue. The tenant replaces; name, description, channel and
 * skills update in place (the platform renames queues, and agents keep their queue ids).
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { kinds, queueInputs } from "./schemas";
import { checkInputs } from "./check";
import { createObject, deleteObject, diffInputs, readObject, updateObject, type KindDescriptor } from "./lifecycle";

export const queueKind: KindDescriptor = {
  spec: kinds.Queue,
  fields: ["tenantId", "name", "description", "channel", "skills"],
  replaceOn: ["tenantId"],
  writeOnly: [],
  secretValues: () => [],
};

export const queueProvider = {
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => checkInputs(queueInputs, news),
  diff: async (_id: string, olds: Record<string, any>, news: Record<string, any>) => diffInputs(queueKind, olds, news),
  create: (inputs: Record<string, any>) => createObject(queueKind, inputs),
  read: (id: string, props: Record<string, any> = {}) => readObject(queueKind, id, props),
  update: (id: string, olds: Record<string, any>, news: Record<string, any>) => updateObject(queueKind, id, olds, news),
  delete: (id: string, props: Record<string, any>) => deleteObject(queueKind, id, props),
} satisfies ResourceProvider;
