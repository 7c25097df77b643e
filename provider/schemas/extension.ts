import { z } from "zod";
import { callTarget, e164, email, extensionNumber, name, objectId, objectMeta, password, pbxMeta, tenantId, unique, username } from "./common";

export const keyActions = ["notConfigured", "blf", "quickCall", "line", "switch", "pickup"] as const;
export type KeyAction = (typeof keyActions)[number];

/** Which target each programmable key action needs. */
export const keyTargetRule: Record<KeyAction, "none" | "extension" | "any"> = {
  notConfigured: "none",
  switch: "none",
  blf: "extension",
  line: "extension",
  pickup: "extension",
  quickCall: "any",
};

export const portalPermissions = [
  "userPortalAccess", "userManagement", "administratorAccess", "phoneManagement", "userGroupManagement",
  "phoneNumberManagement", "dialPlanManagement", "pickupGroupManagement", "switchManagement", "conferenceManagement",
  "queueManagement", "voicemailManagement", "audioMessagesManagement", "musicOnHoldManagement", "directoryManagement",
  "callList", "connectedUserList", "globalSettings", "applyChanges", "invoiceDownload", "invoiceDetails",
  "blacklistManagement", "conferenceParticipantManagement",
] as const;
export type PortalPermission = (typeof portalPermissions)[number];

export const ringDestination = z.strictObject({
  target: callTarget,
  ringSeconds: z.number().int().min(5).max(300).default(20).describe("How long this destination rings before the next one (5–300 s)."),
});

const destinations = z
  .array(ringDestination)
  .min(1, "must list at least one destination")
  .max(10)
  .describe("Destinations tried in order, each ringing for its ringSeconds (staggered ringing).");

export const forwarding = z
  .strictObject({
    onNoAnswer: z
      .strictObject({
        destinations: destinations.optional(),
        voicemailLastResort: z.boolean().default(false).describe("Send to voicemail when no destination answers."),
      })
      .optional()
      .describe("Forwarding when the extension does not answer."),
    onBusy: z.strictObject({ destinations }).optional().describe("Forwarding when the extension is busy."),
  })
  .describe("Forwarding on no answer and on busy. Excludes followMe.");

export const followMe = z
  .strictObject({ destinations })
  .describe("Follow-me: the extension does not ring, these destinations do. Excludes forwarding.");

export const key = z.strictObject({
  position: z.number().int().min(1).max(20).describe("Key number, 1–20."),
  action: z.enum(keyActions).describe("notConfigured, blf, quickCall, line, switch or pickup."),
  target: callTarget.optional().describe("Extension number (blf, line, pickup) or extension/E.164 number (quickCall); none for switch and notConfigured."),
});

export const portal = z
  .strictObject({
    username: username.describe("Portal login."),
    password: password.describe("Portal password, at least 8 characters (secret; write-only)."),
    permissions: z
      .array(z.enum(portalPermissions))
      .max(portalPermissions.length)
      .refine(unique, { message: "must not repeat a permission" })
      .default(["userPortalAccess"])
      .describe("Portal permissions (any of the 23 the user portal knows); userPortalAccess alone by default."),
  })
  .describe("Access to the PBX management portal.");

const extensionFields = {
  tenantId,
  number: extensionNumber.describe("Extension number, unique in the tenant; the natural key."),
  name: name.describe("The user's name."),
  email: email.optional().describe("The user's email."),
  gsmNumber: e164.optional().describe("Alternative (mobile) number, E.164 with country code."),
  voicemail: z.boolean().default(false).describe("Whether the extension has a voicemail box."),
  directory: z.boolean().default(false).describe("Listed in the default directory (used by the digital receptionist)."),
  multipleCalls: z.boolean().default(false).describe("Can receive a call while on another call."),
  loginRequired: z.boolean().default(false).describe("Must log in on a phone before calling."),
  forwarding: forwarding.optional(),
  followMe: followMe.optional(),
  keys: z.array(key).max(20).default([]).describe("Programmable keys 1–20."),
  portal: portal.optional(),
  agentId: objectId("agt").optional().describe("The contact-center agent this extension belongs to."),
};

type ExtensionShape = {
  forwarding?: z.infer<typeof forwarding>;
  followMe?: z.infer<typeof followMe>;
  keys?: Array<z.infer<typeof key>>;
  portal?: unknown;
};

/** Rules across fields, shared by the inputs and the patch (applied to the merged result). */
export function refineExtension(ext: ExtensionShape, ctx: z.RefinementCtx): void {
  const fwd = ext.forwarding;
  const hasForwarding = !!fwd && (!!fwd.onNoAnswer?.destinations?.length || !!fwd.onNoAnswer?.voicemailLastResort || !!fwd.onBusy);
  if (hasForwarding && ext.followMe) {
    ctx.addIssue({
      code: "custom",
      path: ["followMe"],
      message: "cannot be set together with forwarding: follow-me replaces forwarding; remove one of followMe or forwarding",
    });
  }
  const seen = new Set<number>();
  (ext.keys ?? []).forEach((k, i) => {
    if (seen.has(k.position)) {
      ctx.addIssue({ code: "custom", path: ["keys", i, "position"], message: `key ${k.position} is configured twice; each position 1–20 once` });
    }
    seen.add(k.position);
    const rule = keyTargetRule[k.action];
    if (rule === "none" && k.target !== undefined) {
      ctx.addIssue({ code: "custom", path: ["keys", i, "target"], message: `a ${k.action} key takes no target; remove it` });
    }
    if (rule !== "none" && k.target === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["keys", i, "target"],
        message: `a ${k.action} key needs a target: ${rule === "extension" ? "an extension number, e.g. \"102\"" : "an extension or E.164 number"}`,
      });
    }
    if (rule === "extension" && k.target !== undefined && k.target.startsWith("+")) {
      ctx.addIssue({ code: "custom", path: ["keys", i, "target"], message: `a ${k.action} key targets an extension number of the same tenant, not ${k.target}` });
    }
  });
}

export const extensionInputs = z.strictObject(extensionFields).superRefine(refineExtension);
export type ExtensionInputs = z.input<typeof extensionInputs>;

/** PATCH body; `null` clears an optional block (forwarding, followMe, portal). */
export const extensionPatch = z
  .strictObject({
    ...extensionFields,
    forwarding: forwarding.nullable().optional(),
    followMe: followMe.nullable().optional(),
    portal: portal.nullable().optional(),
    gsmNumber: e164.nullable().optional(),
    email: email.nullable().optional(),
    agentId: objectId("agt").nullable().optional(),
  })
  .omit({ tenantId: true, number: true })
  .partial();

export const sipIdentifiers = z.object({
  username: z.string().describe("SIP username: the extension number."),
  domain: z.string().describe("SIP domain: the tenant's FQDN."),
  password: z.string().optional().describe("Generated SIP password (secret); returned only by the create."),
  proxy: z.string().describe("Address of the SIP proxy server."),
});

export const extensionObject = z.object({
  ...extensionFields,
  portal: portal.omit({ password: true }).optional(),
  extensionId: objectId("ext").describe("The extension's id."),
  sip: sipIdentifiers,
  ...objectMeta,
  ...pbxMeta,
});
export type ExtensionObject = z.infer<typeof extensionObject>;
