/**
 * What differs between a stack's state and the platform, object by object, decided exactly as
 * `pulumi refresh` decides it: the provider's own read (readFromObject) turns the platform's object
 * into refreshed outputs, and the kind's own diff compares them with the inputs in state (the
 * engine calls Diff with the refreshed outputs as olds and the stack's inputs as news).
 */
import { agentKind } from "../provider/agent";
import { extensionKind } from "../provider/extension";
import { incomingNumberKind } from "../provider/incoming-number";
import { credentialKind } from "../provider/integration-credential";
import { changedFields, diffInputs, getPath, readFromObject, type KindDescriptor } from "../provider/lifecycle";
import { queueKind } from "../provider/queue";
import { tenantKind } from "../provider/tenant";
import { userGroupKind } from "../provider/user-group";

type Obj = Record<string, any>;

export const descriptors: Record<string, KindDescriptor> = Object.fromEntries(
  [tenantKind, queueKind, agentKind, extensionKind, userGroupKind, incomingNumberKind, credentialKind].map((d) => [d.spec.kind, d]),
);

export const typePrefix = "pulumi-nodejs:dynamic/omnitenant:";

/** One field that differs. Secret fields carry no values: only that they differ. */
export interface FieldDrift {
  field: string;
  secret?: true;
  /** What the stack last deployed (write-only parts left out). */
  declared?: unknown;
  /** What the platform holds now. */
  actual?: unknown;
}

export interface ObjectComparison {
  changed: boolean;
  fields: FieldDrift[];
  /** A staged change saved on the platform but not applied (the provider's diff counts it as a change). */
  pendingApply: boolean;
  /** The platform's revision moved although no compared field differs (a write-only value, or a change set back). */
  revisionMoved: boolean;
}

/** Top-level fields whose whole value is secret: never printed. */
function secretField(d: KindDescriptor, field: string): boolean {
  return d.writeOnly.includes(field) || (d.createOnly ?? []).includes(field);
}

/** A value without its write-only parts, for printing. */
function printable(d: KindDescriptor, field: string, value: unknown): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  const copy: Obj = JSON.parse(JSON.stringify(value));
  for (const p of d.writeOnly) {
    if (!p.startsWith(`${field}.`)) continue;
    const keys = p.split(".").slice(1);
    const parent = keys.slice(0, -1).reduce<Obj | undefined>((o, k) => (o && typeof o === "object" ? o[k] : undefined), copy);
    if (parent && typeof parent === "object") delete parent[keys[keys.length - 1]];
  }
  return copy;
}

/**
 * Compares one managed object: `inputs` and `outputs` from the stack's state (secrets decrypted),
 * `object` as the platform lists it.
 */
export function compareObject(kind: string, id: string, inputs: Obj, outputs: Obj, object: Obj): ObjectComparison {
  const d = descriptors[kind];
  if (!d) throw new Error(`no omnitenant kind ${JSON.stringify(kind)}`);
  const read = readFromObject(d, id, object, outputs);
  const refreshed = read.props!;
  const diff = diffInputs(d, refreshed, inputs);
  const { changed, o, n } = changedFields(d, refreshed, inputs);
  const fields: FieldDrift[] = changed.map((f) =>
    secretField(d, f) ? { field: f, secret: true as const } : { field: f, declared: printable(d, f, n[f]) ?? null, actual: printable(d, f, o[f]) ?? null },
  );
  // The provider's diff counts a staged change saved but not applied as a change by itself.
  const pendingApply = d.spec.staged && refreshed.revision !== undefined && refreshed.appliedRevision !== refreshed.revision;
  const revision = getPath(object, "revision");
  return {
    changed: !!diff.changes,
    fields,
    pendingApply,
    revisionMoved: !diff.changes && revision !== undefined && outputs.revision !== undefined && revision !== outputs.revision,
  };
}
