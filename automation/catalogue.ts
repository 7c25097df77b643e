/**
 * The reseller's catalogue (YAML or JSON): the reseller's defaults and plan catalogue, and its
 * customers, each deployed as its own stack. Customers are validated one by one, so that one bad
 * customer is reported (naming the customer and the field) while the others still deploy; only a
 * broken file or a broken `reseller` section stops the whole run.
 */
import * as fs from "node:fs";
import * as YAML from "yaml";
import { z } from "zod";
import { capabilities, fqdn, tenantAdmin, tenantInputs, type Capabilities, type TenantInputs } from "../provider/schemas";
import {
  agentEntry, credentialEntry, envRef, extensionEntry, numberEntry, queueEntry, userGroupEntry,
  type AgentEntry, type CredentialEntry, type ExtensionEntry, type NumberEntry, type QueueEntry, type SecretValue, type UserGroupEntry,
} from "./catalogue-entries";

export type { AgentEntry, CredentialEntry, ExtensionEntry, NumberEntry, QueueEntry, SecretValue, UserGroupEntry } from "./catalogue-entries";

/** The name of the queue every tenant is created with; agents and groups may name it. */
export const defaultQueueName = "Default";

const t = tenantInputs.shape;

export const resellerSchema = z.strictObject({
  name: t.companyName.describe("The reseller's name, shown in reports."),
  domain: fqdn.describe("A customer's FQDN is <customer id>.<domain> unless the customer gives its own."),
  defaults: z
    .strictObject({
      country: t.country.optional(),
      timeZone: t.timeZone.optional(),
      language: t.language.optional(),
      organizationSize: t.organizationSize.optional(),
      adminEmailDomain: fqdn.optional().describe("A customer's admin email is <id>-admin@<adminEmailDomain> unless given."),
      deletionProtection: z.boolean().default(false),
    })
    .default({ deletionProtection: false }),
  plans: z
    .record(t.plan.unwrap(), capabilities)
    .refine((p) => Object.keys(p).length > 0, { message: "must define at least one plan, e.g. starter: {maxAgents: 5, …}" })
    .describe("The plan catalogue: plan name → capabilities. Also the quotas policy pack's plan catalogue."),
});
export type Reseller = z.infer<typeof resellerSchema>;

/** Stack names and FQDN labels: lower-case kebab case. */
export const customerId = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be kebab-case: lower-case letters and digits separated by single dashes, e.g. acme-retail")
  .max(40, "must be at most 40 characters");

const tenantProfile = z.strictObject({
  companyName: t.companyName,
  organizationSize: t.organizationSize.optional(),
  country: t.country.optional(),
  fqdn: t.fqdn.optional(),
  timeZone: t.timeZone.optional(),
  language: t.language.optional(),
  admin: z
    .strictObject({
      username: tenantAdmin.shape.username.optional(),
      firstName: tenantAdmin.shape.firstName.optional(),
      email: tenantAdmin.shape.email.optional(),
      password: z.union([tenantAdmin.shape.password, envRef]).optional(),
    })
    .optional(),
});

const customerShape = z.strictObject({
  id: customerId,
  plan: t.plan.unwrap(),
  tenant: tenantProfile,
  /** Per-customer capability overrides on top of the plan's (the quotas pack checks them against the plan). */
  capabilities: capabilities.partial().optional(),
  deletionProtection: z.boolean().optional(),
  /** Bring existing platform objects with the same natural keys under management instead of failing. */
  adopt: z.boolean().optional(),
  queues: z.array(queueEntry).default([]),
  agents: z.array(agentEntry).default([]),
  extensions: z.array(extensionEntry).default([]),
  userGroups: z.array(userGroupEntry).default([]),
  numbers: z.array(numberEntry).default([]),
  credentials: z.array(credentialEntry).default([]),
});
type CustomerShape = z.infer<typeof customerShape>;

/** A customer with the reseller's defaults applied: what its stack's program is built from. */
export interface Customer {
  id: string;
  plan: string;
  adopt: boolean;
  tenant: Omit<TenantInputs, "admin"> & { admin: Omit<TenantInputs["admin"], "password"> & { password?: SecretValue } } & {
    capabilities: Capabilities;
    deletionProtection: boolean;
  };
  queues: QueueEntry[];
  agents: AgentEntry[];
  extensions: ExtensionEntry[];
  userGroups: UserGroupEntry[];
  numbers: NumberEntry[];
  credentials: CredentialEntry[];
}

export interface CustomerIssue {
  /** Path inside the customer, e.g. `agents[1].roles[0]`. */
  path: string;
  message: string;
}

export interface CatalogueEntry {
  /** Position in `customers`. */
  index: number;
  /** The customer id when it could be read (even from an invalid entry). */
  id?: string;
  customer?: Customer;
  issues: CustomerIssue[];
}

export interface Catalogue {
  reseller: Reseller;
  entries: CatalogueEntry[];
  source?: string;
}

export class CatalogueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CatalogueError";
  }
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? String(p) : `.${String(p)}`;
  return out;
}

/** `customers[3] "globex": agents[1].roles[0]: …` */
export function describeIssue(entry: Pick<CatalogueEntry, "index" | "id">, issue: CustomerIssue): string {
  const who = `customers[${entry.index}]${entry.id ? ` ${JSON.stringify(entry.id)}` : ""}`;
  return `${who}: ${issue.path ? `${issue.path}: ` : ""}${issue.message}`;
}

const topLevel = z.strictObject({ reseller: z.unknown(), customers: z.array(z.unknown()) });

/** Parses a catalogue already read into a value. Throws CatalogueError when it cannot be used at all. */
export function parseCatalogue(raw: unknown, source?: string): Catalogue {
  const where = source ? `${source}: ` : "";
  const top = topLevel.safeParse(raw);
  if (!top.success) {
    throw new CatalogueError(`${where}the catalogue ${top.error.issues.map((i) => `${formatPath(i.path) || "(root)"}: ${i.message}`).join("; ")} (it needs "reseller" and "customers")`);
  }
  const reseller = resellerSchema.safeParse(top.data.reseller);
  if (!reseller.success) {
    throw new CatalogueError(`${where}${reseller.error.issues.map((i) => `${formatPath(["reseller", ...i.path])}: ${i.message}`).join("\n")}`);
  }
  const entries = top.data.customers.map((value, index) => parseCustomer(reseller.data, value, index));
  markDuplicates(entries, (c) => c.id, "id", "customer id");
  markDuplicates(entries, (c) => c.tenant.fqdn, "tenant.fqdn", "FQDN");
  return { reseller: reseller.data, entries, source };
}

export function loadCatalogue(file: string): Catalogue {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CatalogueError(`cannot read the catalogue ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = YAML.parse(text, { prettyErrors: true });
  } catch (e) {
    throw new CatalogueError(`${file} is neither valid YAML nor JSON: ${(e as Error).message}`);
  }
  return parseCatalogue(raw, file);
}

function parseCustomer(reseller: Reseller, value: unknown, index: number): CatalogueEntry {
  const rawId = typeof value === "object" && value !== null ? (value as { id?: unknown }).id : undefined;
  const id = typeof rawId === "string" && customerId.safeParse(rawId).success ? rawId : undefined;
  const parsed = customerShape.safeParse(value);
  if (!parsed.success) {
    return { index, id, issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })) };
  }
  const issues: CustomerIssue[] = [];
  const customer = resolve(reseller, parsed.data, issues);
  checkReferences(parsed.data, issues);
  return issues.length ? { index, id, issues } : { index, id, customer, issues };
}

/** Applies the reseller's defaults, and checks the result as the platform would take it. */
function resolve(reseller: Reseller, c: CustomerShape, issues: CustomerIssue[]): Customer {
  const d = reseller.defaults;
  const plan = reseller.plans[c.plan];
  if (!plan) {
    issues.push({ path: "plan", message: `unknown plan ${JSON.stringify(c.plan)}; the reseller's plans are ${Object.keys(reseller.plans).join(", ")}` });
  }
  const admin = c.tenant.admin ?? {};
  const tenant: Customer["tenant"] = {
    companyName: c.tenant.companyName,
    organizationSize: (c.tenant.organizationSize ?? d.organizationSize)!,
    country: (c.tenant.country ?? d.country)!,
    fqdn: c.tenant.fqdn ?? `${c.id}.${reseller.domain}`,
    timeZone: (c.tenant.timeZone ?? d.timeZone)!,
    language: (c.tenant.language ?? d.language)!,
    admin: {
      username: admin.username ?? `${c.id}-admin`,
      firstName: admin.firstName ?? "Administrator",
      email: (admin.email ?? (d.adminEmailDomain ? `${c.id}-admin@${d.adminEmailDomain}` : undefined))!,
      ...(admin.password !== undefined ? { password: admin.password } : {}),
    },
    capabilities: { ...(plan ?? ({} as Capabilities)), ...c.capabilities },
    plan: c.plan,
    deletionProtection: c.deletionProtection ?? d.deletionProtection,
  };
  const fromDefaults: Record<string, string> = {
    organizationSize: "reseller.defaults.organizationSize",
    country: "reseller.defaults.country",
    timeZone: "reseller.defaults.timeZone",
    language: "reseller.defaults.language",
    "admin.email": "reseller.defaults.adminEmailDomain",
  };
  const check = tenantInputs.safeParse({ ...tenant, admin: { ...tenant.admin, password: "catalogue-placeholder-secret" } });
  if (!check.success && plan) {
    for (const i of check.error.issues) {
      const path = formatPath(i.path);
      const missing = fromDefaults[path];
      if (missing && i.code === "invalid_type") {
        issues.push({ path: `tenant.${path}`, message: `is required: set it on the customer or in ${missing}` });
      } else {
        issues.push({ path: path.startsWith("capabilities") ? path : `tenant.${path}`, message: i.message });
      }
    }
  }
  return {
    id: c.id,
    plan: c.plan,
    adopt: c.adopt ?? false,
    tenant,
    queues: c.queues,
    agents: c.agents,
    extensions: c.extensions,
    userGroups: c.userGroups,
    numbers: c.numbers,
    credentials: c.credentials,
  };
}

/** Natural keys are unique within the customer, and every reference names something it declares. */
function checkReferences(c: CustomerShape, issues: CustomerIssue[]): void {
  const unique = <T>(items: T[], key: (t: T) => string | undefined, list: string, field: string, what: string) => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      if (k === undefined) return;
      if (seen.has(k)) issues.push({ path: `${list}[${i}].${field}`, message: `${what} ${JSON.stringify(k)} is already declared by ${list}[${seen.get(k)}]` });
      else seen.set(k, i);
    });
    return seen;
  };
  const queues = unique(c.queues, (q) => q.name, "queues", "name", "queue");
  const agents = unique(c.agents, (a) => a.account, "agents", "account", "account");
  const extensions = unique(c.extensions, (e) => e.number, "extensions", "number", "extension");
  unique(c.userGroups, (g) => g.name, "userGroups", "name", "user group");
  unique(c.numbers, (n) => n.number, "numbers", "number", "number");
  unique(c.credentials, (k) => k.name, "credentials", "name", "credential");

  const queueNames = () => [defaultQueueName, ...queues.keys()].map((n) => JSON.stringify(n)).join(", ");
  const refQueue = (path: string, q: string) => {
    if (q !== defaultQueueName && !queues.has(q)) issues.push({ path, message: `no queue named ${JSON.stringify(q)} in this customer; its queues are ${queueNames()}` });
  };
  const refAgent = (path: string, a: string) => {
    if (!agents.has(a)) issues.push({ path, message: `no agent with account ${JSON.stringify(a)} in this customer` });
  };
  c.agents.forEach((a, i) => a.queues?.forEach((q, j) => refQueue(`agents[${i}].queues[${j}]`, q)));
  c.extensions.forEach((e, i) => e.agent !== undefined && refAgent(`extensions[${i}].agent`, e.agent));
  c.userGroups.forEach((g, i) => {
    if (g.queue !== undefined) refQueue(`userGroups[${i}].queue`, g.queue);
    g.members?.forEach((m, j) => {
      if (!extensions.has(m)) issues.push({ path: `userGroups[${i}].members[${j}]`, message: `no extension ${JSON.stringify(m)} in this customer` });
    });
  });
  c.credentials.forEach((k, i) => k.agents?.forEach((a, j) => refAgent(`credentials[${i}].agents[${j}]`, a)));
}

function markDuplicates(entries: CatalogueEntry[], key: (c: Customer) => string, path: string, what: string): void {
  const seen = new Map<string, number>();
  for (const e of entries) {
    const k = e.customer ? key(e.customer) : path === "id" ? e.id : undefined;
    if (k === undefined) continue;
    const first = seen.get(k);
    if (first === undefined) {
      seen.set(k, e.index);
      continue;
    }
    e.issues.push({ path, message: `${what} ${JSON.stringify(k)} is already used by customers[${first}]` });
    delete e.customer;
  }
}

/** The catalogue's secrets that come from the environment but are not set there. */
export function missingEnv(customer: Customer, env: NodeJS.ProcessEnv): CustomerIssue[] {
  const out: CustomerIssue[] = [];
  const need = (path: string, v: SecretValue | undefined) => {
    if (v !== undefined && typeof v !== "string" && !env[v.env]) out.push({ path, message: `environment variable ${v.env} is not set` });
  };
  need("tenant.admin.password", customer.tenant.admin.password);
  customer.agents.forEach((a, i) => need(`agents[${i}].password`, a.password));
  customer.extensions.forEach((e, i) => need(`extensions[${i}].portal.password`, e.portal?.password));
  customer.credentials.forEach((k, i) => Object.entries(k.secrets ?? {}).forEach(([name, v]) => need(`credentials[${i}].secrets.${name}`, v)));
  return out;
}
