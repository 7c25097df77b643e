import { z } from "zod";
import { e164, extensionNumber, objectId, objectMeta, pbxMeta, tenantId } from "./common";

export const destinationTypes = ["notConfigured", "extension", "dialPlan", "voicemail", "hangUp", "conference"] as const;
export type DestinationType = (typeof destinationTypes)[number];

/** Which target each destination type of an incoming number needs. */
export const destinationTargetRule: Record<DestinationType, "none" | "extension" | "name"> = {
  notConfigured: "none",
  hangUp: "none",
  extension: "extension",
  voicemail: "extension",
  dialPlan: "name",
  conference: "name",
};

export const destination = z
  .strictObject({
    type: z.enum(destinationTypes).describe("notConfigured, extension, dialPlan, voicemail, hangUp or conference."),
    target: z
      .string()
      .min(1)
      .max(120)
      .optional()
      .describe("Extension number (extension, voicemail), dial plan or conference name (dialPlan, conference); none otherwise."),
  })
  .superRefine((d, ctx) => {
    const rule = destinationTargetRule[d.type];
    if (rule === "none" && d.target !== undefined) {
      ctx.addIssue({ code: "custom", path: ["target"], message: `${d.type === "extension" ? "an" : "a"} ${d.type} destination takes no target; remove it` });
    } else if (rule !== "none" && d.target === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["target"],
        message: `${d.type === "extension" ? "an" : "a"} ${d.type} destination needs a target: ${rule === "extension" ? "an extension number, e.g. \"101\"" : "a name"}`,
      });
    } else if (rule === "extension" && d.target !== undefined && !extensionNumber.safeParse(d.target).success) {
      ctx.addIssue({ code: "custom", path: ["target"], message: `must be an extension number of the same tenant, e.g. "101", not ${JSON.stringify(d.target)}` });
    }
  })
  .describe("Where a voice call to the number goes.");

export const incomingNumberInputs = z.strictObject({
  tenantId,
  number: e164.describe("The number, E.164; unique in the tenant; the natural key."),
  destination: destination.default({ type: "notConfigured" }),
});
export type IncomingNumberInputs = z.input<typeof incomingNumberInputs>;

export const incomingNumberPatch = incomingNumberInputs.omit({ tenantId: true, number: true }).partial();

export const incomingNumberObject = incomingNumberInputs.extend({
  incomingNumberId: objectId("num").describe("The incoming number's id."),
  ...objectMeta,
  ...pbxMeta,
});
export type IncomingNumberObject = z.infer<typeof incomingNumberObject>;
