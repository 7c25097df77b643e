import { z } from "zod";
import { name, objectId, objectMeta, pbxMeta, tenantId, unique } from "./common";
import { limits } from "./limits";

export const userGroupInputs = z.strictObject({
  tenantId,
  name: name.describe("Group name, unique in the tenant; the natural key."),
  memberIds: z
    .array(objectId("ext"))
    .max(limits.membersPerGroup)
    .refine(unique, { message: "must not repeat a member" })
    .default([])
    .describe("Extensions (ids) in the group."),
  queueId: objectId("que").optional().describe("The queue the group serves, for call-center capability."),
});
export type UserGroupInputs = z.input<typeof userGroupInputs>;

export const userGroupPatch = userGroupInputs
  .omit({ tenantId: true })
  .extend({ queueId: objectId("que").nullable().optional() })
  .partial();

export const userGroupObject = userGroupInputs.extend({
  userGroupId: objectId("grp").describe("The user group's id."),
  ...objectMeta,
  ...pbxMeta,
});
export type UserGroupObject = z.infer<typeof userGroupObject>;
