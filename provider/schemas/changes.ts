/** The save-then-apply model (PBX changes are saved, then applied): a tenant's pending changes and the result of applying them. */
import { z } from "zod";

export const stagedKinds = ["Extension", "UserGroup", "IncomingNumber"] as const;
export const changeOps = ["create", "update", "delete"] as const;

export const fieldError = z.object({ path: z.string(), message: z.string() });

export const pendingChange = z.object({
  kind: z.enum(stagedKinds),
  objectId: z.string(),
  op: z.enum(changeOps),
  revision: z.number().int().describe("The saved revision the change would make live."),
  savedAt: z.string().describe("ISO 8601 time the change was saved."),
  lastError: z
    .object({ at: z.string(), errors: z.array(fieldError) })
    .optional()
    .describe("Why the last apply rejected this change (e.g. a target extension that does not exist)."),
});
export type PendingChange = z.infer<typeof pendingChange>;

export const changeList = z.object({ items: z.array(pendingChange), nextCursor: z.string().nullable() });

export const applyResult = z.object({
  applied: z.array(z.object({ kind: z.enum(stagedKinds), objectId: z.string(), op: z.enum(changeOps) })),
  rejected: z.array(z.object({ kind: z.enum(stagedKinds), objectId: z.string(), op: z.enum(changeOps), errors: z.array(fieldError) })),
});
export type ApplyResult = z.infer<typeof applyResult>;

export const withdrawnChange = z.object({
  kind: z.enum(stagedKinds),
  objectId: z.string(),
  op: z.enum(changeOps).describe("The change withdrawn."),
  revision: z
    .number()
    .int()
    .nullable()
    .describe("The object's revision now, its saved configuration the applied one again; null when the withdrawn change was its create, which removes the object."),
});
export type WithdrawnChange = z.infer<typeof withdrawnChange>;
