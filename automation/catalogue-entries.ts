/**
 * Catalogue entries of each resource kind: the provider's input schema, with the ids a program
 * would pass (`queueIds`, `agentId`, …) replaced by catalogue names (`queues`, `agent`, …) and
 * passwords/secrets that may be omitted (derived per customer) or read from the environment.
 *
 * The field rules are not re-declared: an entry is checked by the provider's own zod schema, with
 * placeholders standing in for the ids and secrets, and issue paths mapped back to catalogue names.
 */
import { z } from "zod";
import {
  agentInputs, credentialInputs, extensionInputs, extensionNumber, incomingNumberInputs, name, queueInputs, userGroupInputs, username,
  type AgentInputs, type CredentialInputs, type ExtensionInputs, type IncomingNumberInputs, type QueueInputs, type UserGroupInputs,
} from "../provider/schemas";

/** A secret in the catalogue: written out, or `{env: NAME}` read from the environment at run time. */
export type SecretValue = string | { env: string };
export const envRef = z.strictObject({
  env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name, e.g. HUBSPOT_API_KEY"),
});

type Path = Array<string | number>;

interface Ref {
  /** The catalogue field (`queues`) and the provider field it stands for (`queueIds`). */
  field: string;
  idField: string;
  schema: z.ZodTypeAny;
  placeholder: (value: unknown) => unknown;
}

interface EntrySpec {
  schema: z.ZodTypeAny;
  refs: Ref[];
  /** Paths of secrets; `*` matches every key of a record. */
  secrets: string[][];
  /** Secrets that may be left out: omnitenant derives them per customer. */
  derivable: string[][];
}

const placeholderSecret = "catalogue-placeholder-secret";
const ids = (prefix: string) => (value: unknown) => (Array.isArray(value) ? value.map((_, i) => `${prefix}_placeholder${i}`) : `${prefix}_placeholder`);
const names = (of: string) =>
  z.array(name).min(1, `must name at least one ${of}`).refine((v) => new Set(v).size === v.length, { message: `must not repeat a ${of}` });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Replaces secrets along `path` in `obj` (a copy), checking env references. */
function replaceSecrets(obj: Record<string, unknown>, path: string[], derivable: boolean, at: Path, issue: (p: Path, m: string) => void): void {
  const [head, ...rest] = path;
  const keys = head === "*" ? Object.keys(obj) : [head];
  for (const key of keys) {
    const value = obj[key];
    if (rest.length > 0) {
      if (isRecord(value)) {
        obj[key] = { ...value };
        replaceSecrets(obj[key] as Record<string, unknown>, rest, derivable, [...at, key], issue);
      }
      continue;
    }
    if (value === undefined) {
      if (derivable) obj[key] = placeholderSecret;
    } else if (isRecord(value)) {
      const ref = envRef.safeParse(value);
      if (!ref.success) for (const i of ref.error.issues) issue([...at, key, ...(i.path as Path)], i.message);
      obj[key] = placeholderSecret;
    }
  }
}

function entry<T>(spec: EntrySpec): z.ZodType<T> {
  return z.unknown().superRefine((value, ctx) => {
    const issue = (path: Path, message: string) => ctx.addIssue({ code: "custom", path, message });
    if (!isRecord(value)) return issue([], "must be an object");
    const copy: Record<string, unknown> = { ...value };
    const fieldOf = new Map<string, string>();
    for (const ref of spec.refs) {
      fieldOf.set(ref.idField, ref.field);
      if (ref.idField in copy) issue([ref.idField], `the catalogue names objects instead of ids: use "${ref.field}"`);
      delete copy[ref.idField];
      if (!(ref.field in copy)) continue;
      const parsed = ref.schema.safeParse(copy[ref.field]);
      if (!parsed.success) for (const i of parsed.error.issues) issue([ref.field, ...(i.path as Path)], i.message);
      copy[ref.idField] = ref.placeholder(copy[ref.field]);
      delete copy[ref.field];
    }
    if ("tenantId" in copy) issue(["tenantId"], "the tenant is the customer's own: remove tenantId");
    copy.tenantId = "ten_placeholder";
    for (const path of spec.secrets) {
      const derivable = spec.derivable.some((d) => d.join(".") === path.join("."));
      replaceSecrets(copy, path, derivable, [], issue);
    }
    const parsed = spec.schema.safeParse(copy);
    if (parsed.success) return;
    for (const i of parsed.error.issues) {
      const path = [...(i.path as Path)];
      if (path[0] === "tenantId") continue;
      if (typeof path[0] === "string" && fieldOf.has(path[0])) path[0] = fieldOf.get(path[0])!;
      issue(path, i.message);
    }
  }) as unknown as z.ZodType<T>;
}

type Without<T, K extends keyof T> = Omit<T, K | "tenantId">;

export type QueueEntry = Without<QueueInputs, "tenantId">;
export type AgentEntry = Without<AgentInputs, "queueIds" | "password"> & { queues?: string[]; password?: SecretValue };
export type ExtensionEntry = Without<ExtensionInputs, "agentId" | "portal"> & {
  agent?: string;
  portal?: Omit<NonNullable<ExtensionInputs["portal"]>, "password"> & { password?: SecretValue };
};
export type UserGroupEntry = Without<UserGroupInputs, "memberIds" | "queueId"> & { members?: string[]; queue?: string };
export type NumberEntry = Without<IncomingNumberInputs, "tenantId">;
export type CredentialEntry = Without<CredentialInputs, "agentIds" | "secrets"> & { agents?: string[]; secrets?: Record<string, SecretValue> };

export const queueEntry = entry<QueueEntry>({ schema: queueInputs, refs: [], secrets: [], derivable: [] });

export const agentEntry = entry<AgentEntry>({
  schema: agentInputs,
  refs: [{ field: "queues", idField: "queueIds", schema: names("queue"), placeholder: ids("que") }],
  secrets: [["password"]],
  derivable: [["password"]],
});

export const extensionEntry = entry<ExtensionEntry>({
  schema: extensionInputs,
  refs: [{ field: "agent", idField: "agentId", schema: username, placeholder: ids("agt") }],
  secrets: [["portal", "password"]],
  derivable: [["portal", "password"]],
});

export const userGroupEntry = entry<UserGroupEntry>({
  schema: userGroupInputs,
  refs: [
    {
      field: "members",
      idField: "memberIds",
      schema: z.array(extensionNumber).refine((v) => new Set(v).size === v.length, { message: "must not repeat a member" }),
      placeholder: ids("ext"),
    },
    { field: "queue", idField: "queueId", schema: name, placeholder: ids("que") },
  ],
  secrets: [],
  derivable: [],
});

export const numberEntry = entry<NumberEntry>({ schema: incomingNumberInputs, refs: [], secrets: [], derivable: [] });

export const credentialEntry = entry<CredentialEntry>({
  schema: credentialInputs,
  refs: [
    {
      field: "agents",
      idField: "agentIds",
      schema: z.array(username).refine((v) => new Set(v).size === v.length, { message: "must not repeat an agent" }),
      placeholder: ids("agt"),
    },
  ],
  secrets: [["secrets", "*"]],
  derivable: [],
});
