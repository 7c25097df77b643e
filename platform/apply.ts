/**
 * Applying a tenant's pending changes (PBX changes are saved, then applied). One transaction. A change whose
 * extension targets will not exist once the apply is done is rejected and stays pending with its
 * error; the rest applies. "Will exist" counts applied extensions, plus those created in this apply,
 * minus those deleted in it, computed to a fixed point: rejecting a create can strand a change that
 * targeted it, while two extensions forwarding to each other apply together in any save order.
 */
import { isExtensionTarget } from "../provider/schemas/common";
import type { ApplyResult } from "../provider/schemas/changes";
import type { Context } from "./context";
import type { ObjectRow } from "./db/store";
import type { FieldError } from "./problems";

type Target = { path: string; number: string };
type Member = { path: string; id: string };

function targetsOf(row: ObjectRow): { numbers: Target[]; members: Member[] } {
  const c = JSON.parse(row.config);
  const numbers: Target[] = [];
  const add = (path: string, value: unknown) => {
    if (typeof value === "string" && isExtensionTarget(value)) numbers.push({ path, number: value });
  };
  if (row.kind === "Extension") {
    const lists: Array<[string, Array<{ target: string }> | undefined]> = [
      ["forwarding.onNoAnswer.destinations", c.forwarding?.onNoAnswer?.destinations],
      ["forwarding.onBusy.destinations", c.forwarding?.onBusy?.destinations],
      ["followMe.destinations", c.followMe?.destinations],
    ];
    for (const [base, list] of lists) (list ?? []).forEach((d, i) => add(`${base}.${i}.target`, d.target));
    (c.keys as Array<{ target?: string }>).forEach((k, i) => add(`keys.${i}.target`, k.target));
  } else if (row.kind === "IncomingNumber") {
    if (c.destination.type === "extension" || c.destination.type === "voicemail") add("destination.target", c.destination.target);
  }
  const members = row.kind === "UserGroup" ? (c.memberIds as string[]).map((id, i) => ({ path: `memberIds.${i}`, id })) : [];
  return { numbers, members };
}

export function applyChanges(ctx: Context, tenantId: string): ApplyResult {
  const { st } = ctx;
  return ctx.db.transaction((): ApplyResult => {
    const pending = st.pendingOfTenant.all(tenantId);
    const extensions = st.objectsOfKind.all(tenantId, "Extension");
    const accepted = new Set(pending.map((p) => p.id));
    const errorsOf = new Map<string, FieldError[]>();

    for (let changed = true; changed; ) {
      changed = false;
      const liveNumbers = new Set<string>();
      const liveIds = new Set<string>();
      for (const e of extensions) {
        const inApply = accepted.has(e.id);
        if (e.pending_op === "delete" && inApply) continue;
        if (e.applied !== null) {
          liveNumbers.add(JSON.parse(e.applied).number);
          liveIds.add(e.id);
        } else if (inApply) {
          liveNumbers.add(e.natural_key);
          liveIds.add(e.id);
        }
      }
      for (const p of pending) {
        if (!accepted.has(p.id) || p.pending_op === "delete") continue;
        const { numbers, members } = targetsOf(p);
        const errors: FieldError[] = [
          ...numbers
            .filter((t) => !liveNumbers.has(t.number))
            .map((t) => ({ path: t.path, message: `extension ${t.number} does not exist in the tenant; create it (in this apply or before) or change the target` })),
          ...members
            .filter((m) => !liveIds.has(m.id))
            .map((m) => ({ path: m.path, message: `extension ${m.id} is not live after this apply; apply its creation too or remove it from the group` })),
        ];
        if (errors.length) {
          accepted.delete(p.id);
          errorsOf.set(p.id, errors);
          changed = true;
        }
      }
    }

    const result: ApplyResult = { applied: [], rejected: [] };
    const at = new Date().toISOString();
    for (const p of pending) {
      const change = { kind: p.kind as ApplyResult["applied"][number]["kind"], objectId: p.id, op: p.pending_op! };
      if (accepted.has(p.id)) {
        if (p.pending_op === "delete") {
          st.deleteObject.run(p.id);
          st.idempotencyRelease.run(p.id);
        } else {
          st.markApplied.run(p.id);
        }
        result.applied.push(change);
      } else {
        const errors = errorsOf.get(p.id)!;
        st.setLastError.run(JSON.stringify({ at, errors }), p.id);
        result.rejected.push({ ...change, errors });
      }
    }
    ctx.counters.applies++;
    if (pending.length) ctx.counters.writes++;
    return result;
  })();
}
