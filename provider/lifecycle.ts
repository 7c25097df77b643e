/**
 * The lifecycle every kind shares — diff, create, read, update, delete over the platform API — driven
 * by a small descriptor per kind (its fields, what replaces, what is write-only). Each
 * `provider/<kind>.ts` composes these with what is particular to its kind.
 */
import { createHmac } from "crypto";
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import type { KindSpec } from "./schemas";
import { request } from "./client";
import { settings } from "./config";
import { applyAndConfirm } from "./apply";
import { containsUnknown, controlKeys, isUnknown } from "./check";
import { ConflictError, ExpectedRefusal, NotFoundError, OmnitenantApiError, PreconditionError, ReservedInstanceError } from "./errors";

type Obj = Record<string, any>;

export interface KindDescriptor {
  spec: KindSpec;
  /** Top-level input fields, in the order the kind's schema declares them: what diff compares and PATCH sends. */
  fields: readonly string[];
  /** Fields whose change replaces the object (the platform cannot change them in place). */
  replaceOn: readonly string[];
  /** Input paths the platform accepts but never returns (passwords, secrets): kept from state. */
  writeOnly: readonly string[];
  /** Output paths the platform returns only from the create (generated secrets): carried forward. */
  createOnly?: readonly string[];
  /** Fields where an omitted input means "what the platform chose" (an agent's default queue). */
  platformDefaulted?: readonly string[];
  /** Object fields PATCHed key by key instead of as a whole (a tenant's capabilities). */
  nestedPatch?: readonly string[];
  /** Brings inputs and stored outputs to one form before comparing (defaults of nested settings). */
  normalize?: (inputs: Obj) => Obj;
  /** Refuses to touch an object (the reserved management instance). */
  guard?: (object: Obj, method: string, path: string) => void;
  /** Fields of secret value, scrubbed from any error message. */
  secretValues: (inputs: Obj) => string[];
  /** Adjusts what a read makes of the object (which write-only values the platform still holds). */
  afterRead?: (result: ReadOutcome) => void;
}

/** Output fields that change without any change of configuration: kept out of state so refresh stays quiet. */
const volatile = ["usage", "updatedAt"];

// ---------------------------------------------------------------------------------------------
// paths and small helpers

export function collectionPath(d: KindDescriptor, tenantId: string | undefined): string {
  if (d.spec.kind === "Tenant") return "/v1/tenants";
  if (!tenantId || isUnknown(tenantId)) throw new Error(`${d.spec.kind} has no tenantId in its state; run \`pulumi refresh\` or recreate it`);
  return `/v1/tenants/${encodeURIComponent(tenantId)}/${d.spec.path}`;
}

export const objectPath = (d: KindDescriptor, tenantId: string | undefined, id: string) =>
  `${collectionPath(d, tenantId)}/${encodeURIComponent(id)}`;

export function getPath(o: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((cur, k) => (cur && typeof cur === "object" ? (cur as Obj)[k] : undefined), o);
}

function setPath(o: Obj, path: string, value: unknown): void {
  const keys = path.split(".");
  let cur = o;
  for (const k of keys.slice(0, -1)) {
    if (!cur[k] || typeof cur[k] !== "object") return; // only fill into an object that exists
    cur = cur[k] = { ...cur[k] };
  }
  if (value !== undefined) cur[keys[keys.length - 1]] = value;
}

/** JSON with sorted keys and without undefined: equal configurations give equal text. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortDeep(v));
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === "object") {
    const out: Obj = {};
    for (const k of Object.keys(v).sort()) if ((v as Obj)[k] !== undefined) out[k] = sortDeep((v as Obj)[k]);
    return out;
  }
  return v;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);

export function bodyOf(inputs: Obj): Obj {
  const body: Obj = {};
  for (const [k, v] of Object.entries(inputs)) if (k !== "__provider" && !(controlKeys as readonly string[]).includes(k) && v !== undefined) body[k] = v;
  return body;
}

function controlOf(inputs: Obj): Obj {
  const out: Obj = {};
  for (const k of controlKeys) if (inputs[k] !== undefined) out[k] = inputs[k];
  return out;
}

/**
 * A create's Idempotency-Key: the same resource with the same configuration gets the same key, in
 * this run and in a re-run after a crash, so a create whose response was lost is replayed, not
 * repeated. Keyed by the token (HMAC), so the key reveals nothing about the secrets in the body.
 */
export function idempotencyKey(kind: string, identity: unknown, body: Obj): string {
  const secret = settings().token ?? "omnitenant";
  return createHmac("sha256", secret).update(`${kind}\n${String(identity ?? "")}\n${canonicalJson(body)}`).digest("hex");
}

export function label(d: KindDescriptor, o: Obj): string {
  const key = `${d.spec.naturalKey} ${JSON.stringify(o[d.spec.naturalKey])}`;
  return d.spec.kind === "Tenant" ? `Tenant with ${key}` : `${d.spec.kind} with ${key} in tenant ${o.tenantId}`;
}

// ---------------------------------------------------------------------------------------------
// outputs and inputs in state

/** State outputs: the platform's object, plus the write-only inputs and generated secrets it does not return. */
export function toOutputs(d: KindDescriptor, object: Obj, inputs: Obj, previous?: Obj): Obj {
  const out: Obj = { ...object };
  for (const k of volatile) delete out[k];
  for (const p of d.writeOnly) setPath(out, p, getPath(inputs, p));
  for (const p of d.createOnly ?? []) if (getPath(out, p) === undefined) setPath(out, p, getPath(previous, p));
  return { ...out, ...controlOf(inputs) };
}

/** The inputs a refresh reports: what the platform holds now, and the write-only values Pulumi last set. */
export function inputsFromObject(d: KindDescriptor, object: Obj, previous: Obj): Obj {
  const inputs: Obj = {};
  for (const f of d.fields) if (object[f] !== undefined && object[f] !== null) inputs[f] = object[f];
  for (const p of d.writeOnly) setPath(inputs, p, getPath(previous, p));
  return { ...inputs, ...controlOf(previous) };
}

// ---------------------------------------------------------------------------------------------
// diff

/** The declared fields whose value differs, both sides normalized (what diff and drift report). */
export function changedFields(d: KindDescriptor, olds: Obj, news: Obj): { changed: string[]; o: Obj; n: Obj } {
  const o = d.normalize ? d.normalize(olds) : olds;
  const n = d.normalize ? d.normalize(news) : news;
  const changed: string[] = [];
  for (const f of d.fields) {
    if (n[f] === undefined && d.platformDefaulted?.includes(f)) continue;
    if (containsUnknown(n[f]) || !same(n[f], o[f])) changed.push(f);
  }
  return { changed, o, n };
}

export function diffInputs(d: KindDescriptor, olds: Obj, news: Obj): DiffResult {
  const { changed, o, n } = changedFields(d, olds, news);
  const replaces = changed.filter((f) => d.replaceOn.includes(f));
  // A staged change saved but never applied (an interrupted run): update to finish it.
  const pending = d.spec.staged && olds.revision !== undefined && olds.appliedRevision !== olds.revision;
  const nk = d.spec.naturalKey;
  // The replacement would take the same natural key in the same scope: the old one must go first.
  const collides =
    replaces.length > 0 &&
    !containsUnknown(n[nk]) &&
    n[nk] === o[nk] &&
    (d.spec.kind === "Tenant" || (!isUnknown(n.tenantId) && n.tenantId === o.tenantId));
  const stables = [d.spec.idField, ...(replaces.length === 0 && d.spec.kind !== "Tenant" ? ["tenantId"] : [])];
  return {
    changes: changed.length > 0 || pending,
    replaces,
    stables: replaces.length === 0 ? stables : [],
    deleteBeforeReplace: collides,
  };
}

/** The minimal PATCH: changed fields only; a removed optional field is cleared with null. */
export function patchBody(d: KindDescriptor, olds: Obj, news: Obj): Obj {
  const o = d.normalize ? d.normalize(olds) : olds;
  const n = d.normalize ? d.normalize(news) : news;
  const body: Obj = {};
  for (const f of d.fields) {
    if (d.replaceOn.includes(f) || f === "tenantId") continue;
    if (n[f] === undefined && d.platformDefaulted?.includes(f)) continue;
    if (same(n[f], o[f])) continue;
    if (d.nestedPatch?.includes(f) && n[f] && o[f] && typeof n[f] === "object") {
      const sub: Obj = {};
      for (const k of Object.keys(n[f])) if (!same(n[f][k], o[f][k])) sub[k] = n[f][k];
      body[f] = sub;
    } else {
      body[f] = n[f] === undefined ? null : n[f];
    }
  }
  return body;
}

/**
 * Does the object already hold what the PATCH would set? Write-only values cannot be seen, so they
 * do not count: a body of write-only values only is held by any object.
 */
function holds(d: KindDescriptor, object: Obj, body: Obj): boolean {
  const visible = Object.keys(body).filter((f) => !d.writeOnly.includes(f));
  return visible.every((f) => {
    const want = body[f];
    if (d.nestedPatch?.includes(f) && want && typeof want === "object") {
      return Object.keys(want).every((k) => d.writeOnly.includes(`${f}.${k}`) || same(want[k], object[f]?.[k]));
    }
    const have = object[f];
    if (want && typeof want === "object" && !Array.isArray(want) && have && typeof have === "object") {
      return Object.keys(want).every((k) => d.writeOnly.includes(`${f}.${k}`) || same(want[k], have[k]));
    }
    return same(want, have);
  });
}

/** The configuration fields of an object as anyone can see them: write-only paths (one level deep at most) left out. */
function visibleFields(d: KindDescriptor, o: Obj): Obj {
  const n = d.normalize ? d.normalize(o) : o;
  const out: Obj = {};
  for (const f of d.fields) if (!d.writeOnly.includes(f) && n[f] !== undefined && n[f] !== null) out[f] = n[f];
  for (const p of d.writeOnly) {
    const [head, key] = p.split(".");
    if (key === undefined || !out[head] || typeof out[head] !== "object") continue;
    const { [key]: _hidden, ...seen } = out[head];
    out[head] = seen;
  }
  return out;
}

/**
 * PATCHes with If-Match `base.revision`, where `base` is the object the body was computed against.
 * A 412 may be our own PATCH having landed (its response lost, then the retry met the new
 * revision), or a change made by someone else. If the object now holds every visible value the
 * body sets, ours landed (a PATCH is all or nothing). If the body sets write-only values only,
 * nothing visible can tell; then, provided nothing visible moved since `base`, the body is sent
 * again against the current revision — setting the same write-only values twice is harmless and
 * is what the configuration declares. Anything else is a change outside Pulumi.
 */
async function patchConverging(d: KindDescriptor, path: string, body: Obj, base: Obj, secrets: string[], drift: (err: PreconditionError) => Error): Promise<Obj> {
  const writeOnlyOnly = holds(d, base, body);
  let ifMatch = base.revision;
  for (let round = 1; ; round++) {
    try {
      const res = await request<Obj>({ method: "PATCH", path, body, ifMatch, repeatable: true, secrets });
      return withRevision(res.body, res.revision);
    } catch (err) {
      if (!(err instanceof PreconditionError)) throw err;
      const current = await request<Obj>({ method: "GET", path });
      if (!writeOnlyOnly && holds(d, current.body, body)) return withRevision(current.body, current.revision);
      const unmovedVisibly = writeOnlyOnly && same(visibleFields(d, current.body), visibleFields(d, base));
      if (!unmovedVisibly || round >= settings().maxAttempts) throw drift(err);
      ifMatch = current.revision ?? current.body.revision;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// create, read, update, delete

export interface CreateOutcome {
  id: string;
  outs: Obj;
}

export async function createObject(d: KindDescriptor, inputs: Obj): Promise<CreateOutcome> {
  const body = bodyOf(inputs);
  const secrets = d.secretValues(inputs);
  const path = collectionPath(d, body.tenantId);
  let object: Obj;
  try {
    const res = await request<Obj>({ method: "POST", path, body, idempotencyKey: idempotencyKey(d.spec.kind, inputs.__identity, body), secrets });
    object = withRevision(res.body, res.revision);
  } catch (err) {
    if (!(err instanceof ConflictError) || err.type !== "conflict") throw err;
    if (inputs.adopt !== true) throw await conflictError(d, body, err);
    object = await adopt(d, body, secrets);
  }
  const id = String(object[d.spec.idField]);
  const outs = toOutputs(d, object, inputs);
  if (d.spec.staged) await applyStaged(d, object, outs, inputs, id);
  return { id, outs };
}

/**
 * Applies a staged object's change. If the platform will not apply it, the change is withdrawn,
 * which removes the object, and the create fails with nothing recorded. If it could not be
 * withdrawn, the object is recorded all the same (Pulumi keeps a resource whose create fails with an
 * id, "failed to initialize", and updates it on the next run, which applies the pending change).
 */
async function applyStaged(d: KindDescriptor, object: Obj, outs: Obj, inputs: Obj, id: string): Promise<void> {
  try {
    await applyAndConfirm({ tenantId: object.tenantId, kind: d.spec.kind, objectId: id, revision: object.revision });
    outs.appliedRevision = outs.revision;
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    if (!(await stillExists(d, object.tenantId, id))) throw error;
    throw Object.assign(error, { id, properties: { ...outs, __provider: inputs.__provider }, reasons: [error.message] });
  }
}

/** Whether the object is still on the platform after a withdrawal (true when that cannot be told). */
async function stillExists(d: KindDescriptor, tenantId: string, id: string): Promise<boolean> {
  try {
    await request({ method: "GET", path: objectPath(d, tenantId, id) });
    return true;
  } catch (err) {
    return !(err instanceof NotFoundError);
  }
}

/**
 * An update whose change the platform would not apply. The change was withdrawn (or not): either way
 * the state must record the object as it is now — its revision moved — so the update fails as a
 * partial failure (an error with the id and outputs, which the engine records), from a fresh read.
 */
async function rejectedUpdate(d: KindDescriptor, path: string, id: string, olds: Obj, news: Obj, err: unknown): Promise<never> {
  const error = err instanceof Error ? err : new Error(String(err));
  let object: Obj;
  try {
    object = withRevision(...(await getWithRevision(path)));
  } catch {
    throw error; // the state keeps what it had; a refresh brings it in line
  }
  // The object's inputs are those of the last deployment again when the change was withdrawn.
  const withdrawn = (err as { withdrawal?: { withdrawn: boolean } }).withdrawal?.withdrawn === true;
  const inputs = withdrawn ? olds : news;
  const outs = toOutputs(d, stripState(object), inputs, olds);
  throw Object.assign(error, { id, properties: { ...outs, __provider: news.__provider }, reasons: [error.message] });
}

async function conflictError(d: KindDescriptor, body: Obj, err: ConflictError): Promise<Error> {
  let existing: Obj | undefined;
  try {
    existing = await findByNaturalKey(d, body);
  } catch {
    // the lookup is only for a better message
  }
  const id = existing?.[d.spec.idField];
  return new ConflictError({
    status: err.status,
    type: err.type,
    requestId: err.requestId,
    method: err.method,
    path: err.path,
    detail: `${label(d, body)} exists already${id ? ` (${id})` : ""} and this resource does not manage it`,
    hint:
      `If another stack or tool manages it, choose another ${d.spec.naturalKey}. If nothing else manages it, set \`adopt: true\` on the resource ` +
      "and run `pulumi up` again to bring it under management with this configuration.",
  });
}

export async function findByNaturalKey(d: KindDescriptor, body: Obj): Promise<Obj | undefined> {
  const nk = d.spec.naturalKey;
  let cursor: string | undefined;
  do {
    const res = await request<{ items: Obj[]; nextCursor?: string | null }>({
      method: "GET",
      path: collectionPath(d, body.tenantId),
      query: { [nk]: String(body[nk]), cursor },
    });
    const hit = res.body.items?.find((i) => i[nk] === body[nk]);
    if (hit) return hit;
    cursor = res.body.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}

/** Takes over an existing object with the same natural key, setting it to the declared configuration. */
async function adopt(d: KindDescriptor, body: Obj, secrets: string[]): Promise<Obj> {
  const existing = await findByNaturalKey(d, body);
  if (!existing) throw new Error(`${label(d, body)} was reported to exist but cannot be found; run \`pulumi up\` again`);
  const path = objectPath(d, body.tenantId, existing[d.spec.idField]);
  d.guard?.(existing, "PATCH", path);
  for (const f of d.replaceOn) {
    if (f !== "tenantId" && f !== d.spec.naturalKey && body[f] !== undefined && !same(body[f], existing[f])) {
      throw new ConflictError({
        status: 409,
        type: "conflict",
        method: "PATCH",
        path,
        detail: `${label(d, body)} exists with ${f} ${JSON.stringify(existing[f])}, which cannot be changed to ${JSON.stringify(body[f])} in place`,
        hint: `Declare ${f}: ${JSON.stringify(existing[f])} to adopt it, or choose another ${d.spec.naturalKey}.`,
      });
    }
  }
  const patch: Obj = {};
  for (const f of d.fields) {
    if (f === "tenantId" || d.replaceOn.includes(f)) continue;
    if (body[f] !== undefined) patch[f] = body[f];
    else if (existing[f] !== undefined && existing[f] !== null) patch[f] = null; // declared absent: clear it
  }
  for (const f of d.platformDefaulted ?? []) if (body[f] === undefined) delete patch[f];
  // If-Match makes the PATCH safe to repeat: a retry after a lost response meets a 412, not a second write.
  return patchConverging(d, path, patch, existing, secrets, (err) => err);
}

export interface ReadOutcome {
  id?: string;
  props?: Obj;
  inputs?: Obj;
}

export async function readObject(d: KindDescriptor, id: string, props: Obj): Promise<ReadOutcome> {
  const path = objectPath(d, props.tenantId, id);
  let object: Obj;
  try {
    const res = await request<Obj>({ method: "GET", path });
    object = withRevision(res.body, res.revision);
  } catch (err) {
    // Deleted outside Pulumi: an empty id tells the engine the resource is gone.
    if (err instanceof NotFoundError) return { id: "" };
    throw err;
  }
  d.guard?.(object, "GET", path);
  return readFromObject(d, id, object, props);
}

/**
 * What a read makes of the platform's object: the refreshed outputs and inputs. `pulumi refresh`
 * (through readObject) and the fleet drift check (from list pages) share it, so they agree.
 */
export function readFromObject(d: KindDescriptor, id: string, object: Obj, props: Obj): ReadOutcome {
  const result: ReadOutcome = { id, props: toOutputs(d, object, props, props), inputs: inputsFromObject(d, object, props) };
  d.afterRead?.(result);
  return result;
}

export async function updateObject(d: KindDescriptor, id: string, olds: Obj, news: Obj): Promise<{ outs: Obj }> {
  const tenantId = news.tenantId ?? olds.tenantId;
  const path = objectPath(d, tenantId, id);
  const body = patchBody(d, olds, news);
  const secrets = [...d.secretValues(news), ...d.secretValues(olds)];
  let object: Obj | undefined;
  if (Object.keys(body).length > 0) {
    // Our own PATCH may have landed already (its response was lost, or a run was interrupted).
    object = await patchConverging(d, path, body, olds, secrets, (err) => preconditionError(d, olds, err));
  }
  if (!object) object = d.spec.staged ? withRevision(...(await getWithRevision(path))) : { ...olds };
  const outs = toOutputs(d, stripState(object), news, olds);
  if (d.spec.staged) {
    try {
      await applyAndConfirm({ tenantId, kind: d.spec.kind, objectId: id, revision: object.revision });
    } catch (err) {
      return rejectedUpdate(d, path, id, olds, news, err);
    }
    outs.appliedRevision = outs.revision;
  }
  return { outs };
}

async function getWithRevision(path: string): Promise<[Obj, number | undefined]> {
  const res = await request<Obj>({ method: "GET", path });
  return [res.body, res.revision];
}

/** Carried-over state (write-only values, control keys) is recomputed from the new inputs. */
function stripState(o: Obj): Obj {
  const out = { ...o };
  delete out.__provider;
  for (const k of controlKeys) delete out[k];
  return out;
}

function preconditionError(d: KindDescriptor, olds: Obj, err: PreconditionError): PreconditionError {
  return new PreconditionError({
    status: err.status,
    type: err.type,
    requestId: err.requestId,
    method: err.method,
    path: err.path,
    detail: `${label(d, olds)} (${olds[d.spec.idField]}) was changed outside Pulumi since the last deployment (revision ${olds.revision} in the stack)`,
    hint: "Run `pulumi refresh` to see the change, then `pulumi up` to set the declared configuration again.",
  });
}

// ---------------------------------------------------------------------------------------------
// deletion protection of a tenant's contents

/**
 * Tenants the program declares in this deployment. The engine diffs every declared resource before
 * it deletes any removed one, in the one provider process that serves the deployment, so a tenant
 * missing here when its children are deleted is being deleted too: a destroy, or a tenant removed
 * from the program.
 */
const declaredTenants = new Set<string>();
const protectionOf = new Map<string, Promise<Obj | undefined>>();

export function noteTenantDeclared(tenantId: string): void {
  declaredTenants.add(tenantId);
}

/**
 * Refuses to delete an object of a protected tenant that is being deleted itself. The engine deletes
 * a tenant's contents before the tenant, and Pulumi's `protect` only stops the tenant's own delete,
 * after its contents are gone; so each child asks. Removing a child while keeping its tenant stays
 * possible.
 */
async function refuseIfTenantProtected(d: KindDescriptor, props: Obj): Promise<void> {
  const tenantId = props.tenantId;
  if (d.spec.kind === "Tenant" || typeof tenantId !== "string" || declaredTenants.has(tenantId)) return;
  if (!protectionOf.has(tenantId)) {
    protectionOf.set(
      tenantId,
      request<Obj>({ method: "GET", path: `/v1/tenants/${encodeURIComponent(tenantId)}` }).then(
        (res) => res.body,
        (err) => {
          if (err instanceof NotFoundError) return undefined;
          protectionOf.delete(tenantId);
          throw err;
        },
      ),
    );
  }
  const tenant = await protectionOf.get(tenantId)!;
  if (tenant?.deletionProtection !== true) return;
  throw new ExpectedRefusal(
    `${label(d, props)} was not deleted: tenant ${JSON.stringify(tenant.fqdn)} (${tenantId}) has deletion protection, and this ` +
      "deployment deletes the tenant too (a destroy, or the tenant removed from the program). Nothing of the tenant is deleted. " +
      "To delete it, set `deletionProtection: false` on the tenant and run `pulumi up` first.",
  );
}

export async function deleteObject(d: KindDescriptor, id: string, props: Obj): Promise<void> {
  const path = objectPath(d, props.tenantId, id);
  if (d.guard) d.guard(props, "DELETE", path);
  await refuseIfTenantProtected(d, props);
  try {
    await request({ method: "DELETE", path, secrets: d.secretValues(props) });
  } catch (err) {
    if (err instanceof NotFoundError) return; // already gone is what we wanted
    throw err;
  }
  if (!d.spec.staged) return;
  await applyAndConfirm({
    tenantId: props.tenantId,
    kind: d.spec.kind,
    objectId: id,
  });
}

function withRevision(body: Obj, revision: number | undefined): Obj {
  return body.revision === undefined && revision !== undefined ? { ...body, revision } : body;
}

export { OmnitenantApiError, ReservedInstanceError };
