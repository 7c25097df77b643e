import { z } from "zod";
import { name, objectId, objectMeta, skills, tenantId } from "./common";

export const queueChannels = ["chat", "email", "voice", "sms", "social"] as const;

export const queueInputs = z.strictObject({
  tenantId,
  name: name.describe("Queue name, unique in the tenant (e.g. Billing); the natural key."),
  description: z.string().max(500).optional().describe("What the queue handles."),
  channel: z.enum(queueChannels).default("chat").describe("The channel whose traffic the queue routes."),
  skills: skills.default([]).describe("Routing skills an agent needs to take this queue's traffic."),
});
export type QueueInputs = z.input<typeof queueInputs>;

/** PATCH body; `null` clears the description. */
export const queuePatch = queueInputs
  .omit({ tenantId: true })
  .partial()
  .extend({ description: z.string().max(500).nullable().optional() });

export const queueObject = queueInputs.extend({
  queueId: objectId("que").describe("The queue's id."),
  isDefault: z.boolean().describe("True for the default queue created with the tenant (it cannot be deleted)."),
  ...objectMeta,
});
export type QueueObject = z.infer<typeof queueObject>;
