import { z } from "zod";
import { e164, email, name, objectId, objectMeta, password, skills, tenantId, unique, username } from "./common";
import { limits } from "./limits";

export const roles = ["agent", "supervisor", "admin", "test"] as const;
export type Role = (typeof roles)[number];

export const agentInputs = z.strictObject({
  tenantId,
  account: username.describe("Login, unique in the tenant; the natural key."),
  password: password.describe("Initial password (secret; write-only, stored hashed)."),
  firstName: name.describe("First name."),
  lastName: name.optional().describe("Last name."),
  alias: name.describe("Display name shown to customers."),
  email: email.describe("Work email."),
  phone: e164.optional().describe("Contact number, E.164."),
  queueIds: z
    .array(objectId("que"))
    .min(1, "must name at least one queue")
    .max(limits.queuesPerAgent)
    .refine(unique, { message: "must not repeat a queue" })
    .optional()
    .describe("Queues whose traffic the agent sees; the tenant's default queue when omitted."),
  roles: z
    .array(z.enum(roles))
    .min(1, "must name at least one role")
    .max(roles.length)
    .refine(unique, { message: "must not repeat a role" })
    .default(["agent"])
    .describe("Platform roles: agent (default, least privilege), supervisor, admin, test."),
  skills: skills.default([]).describe("Skill tags used for routing (e.g. Spanish, Tier 1)."),
});
export type AgentInputs = z.input<typeof agentInputs>;

/** PATCH body; `null` clears an optional field (lastName, phone). */
export const agentPatch = agentInputs
  .omit({ tenantId: true })
  .partial()
  .extend({ lastName: name.nullable().optional(), phone: e164.nullable().optional() });

export const agentObject = agentInputs.omit({ password: true }).extend({
  agentId: objectId("agt").describe("The agent's id."),
  queueIds: z.array(objectId("que")),
  ...objectMeta,
});
export type AgentObject = z.infer<typeof agentObject>;
