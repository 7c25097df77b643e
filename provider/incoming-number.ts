/**
 * IncomingNumber: an E.164 number and where its calls go (staged: saved, then applied). The tenant
 * and the number replace; the destination updates in place.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { incomingNumberInputs, kinds } from "./schemas";
import { checkInputs } from "./check";
import { countingStagedWrites } from "./apply";
import { createObject, deleteObject, diffInputs, readObject, updateObject, type KindDescriptor } from "./lifecycle";

export const incomingNumberKind: KindDescriptor = {
  spec: kinds.IncomingNumber,
  fields: ["tenantId", "number", "destination"],
  replaceOn: ["tenantId", "number"],
  writeOnly: [],
  secretValues: () => [],
};

export const incomingNumberProvider = countingStagedWrites({
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => checkInputs(incomingNumberInputs, news),
  diff: async (_id: string, olds: Record<string, any>, news: Record<string, any>) => diffInputs(incomingNumberKind, olds, news),
  create: (inputs: Record<string, any>) => createObject(incomingNumberKind, inputs),
  read: (id: string, props: Record<string, any> = {}) => readObject(incomingNumberKind, id, props),
  update: (id: string, olds: Record<string, any>, news: Record<string, any>) => updateObject(incomingNumberKind, id, olds, news),
  delete: (id: string, props: Record<string, any>) => deleteObject(incomingNumberKind, id, props),
} satisfies ResourceProvider);
