/**
 * Withdrawing an object's pending change: the saved object becomes the live one again. A create
 * never applied removes the object (and releases its idempotency keys, so the same create can be
 * sent again); an update or a deletion gives the object back its applied configuration and secrets,
 * under a new revision (ETags never repeat). So a deployment whose change the apply rejected leaves
 * nothing behind, and correcting the program is enough.
 */
import type { WithdrawnChange } from "../provider/schemas/changes";
import { nowIso, type Context } from "./context";
import type { ObjectRow, TenantRow } from "./db/store";
import { handlerByKind } from "./kinds";
import { Problem } from "./problems";

/** Runs inside the caller's write transaction; `row` has a pending change. */
export function withdrawChange(ctx: Context, tenant: TenantRow, row: ObjectRow): WithdrawnChange {
  const h = handlerByKind.get(row.kind)!;
  const change = { kind: row.kind as WithdrawnChange["kind"], objectId: row.id, op: row.pending_op! };
  if (row.applied === null) {
    const users = h.usedBy?.(ctx, tenant, row) ?? [];
    if (users.length) {
      throw new Problem(
        "in-use",
        `${row.kind} ${row.id} was never applied and is used by ${users.join(", ")}; withdrawing its create would remove it. Change or withdraw those first.`,
        users.map((u) => ({ path: "", message: `used by ${u}` })),
      );
    }
    ctx.st.deleteObject.run(row.id);
    ctx.st.idempotencyRelease.run(row.id);
    return { ...change, revision: null };
  }
  const key = h.naturalKey(JSON.parse(row.applied));
  const holder = ctx.st.objectByKey.get(tenant.id, row.kind, key);
  if (holder && holder.id !== row.id) {
    const field = h.spec.naturalKey;
    throw new Problem(
      "conflict",
      `Withdrawing the change would give ${row.kind} ${row.id} back its applied ${field} ${JSON.stringify(key)}, which ${holder.id} has now; change or delete ${holder.id} first.`,
      [{ path: field, message: `already used by ${holder.id}` }],
    );
  }
  ctx.st.restoreApplied.run({ id: row.id, natural_key: key, now: nowIso() });
  return { ...change, revision: row.revision + 1 };
}
