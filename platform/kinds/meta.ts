/** The metadata every returned object carries. */
import type { ObjectRow } from "../db/store";

export const objectMeta = (row: ObjectRow) => ({ revision: row.revision, createdAt: row.created_at, updatedAt: row.updated_at });

export const pbxMeta = (row: ObjectRow) => ({ appliedRevision: row.applied_revision, pendingDelete: row.pending_op === "delete" });

/** Copies `patch` over `config`; a `null` clears an optional field. */
export function merge<T extends object>(config: T, patch: object): T {
  const out = { ...config } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out as T;
}
