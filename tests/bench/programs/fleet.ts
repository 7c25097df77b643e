/**
 * A fleet of tenants for the scale benchmark and the reliability suite: blocks of 50 resources per
 * tenant (the tenant, 4 queues, 15 agents, 16 extensions that target each other by number, 3 user
 * groups, 4 incoming numbers, 7 integration credentials), described first as plain data (the
 * plan: what a test compares the platform against, what the bare-HTTP baseline replays), then
 * declared through a factory: the omnitenant SDK, or a no-op dynamic provider of the same shape.
 */
import * as pulumi from "@pulumi/pulumi";
import * as omni from "omnitenant";

export const RESOURCES_PER_TENANT = 50;

export type Kind = "Tenant" | "Queue" | "Agent" | "Extension" | "UserGroup" | "IncomingNumber" | "IntegrationCredential";
/** PBX kinds: saved staged, live once applied. */
export const stagedKinds: readonly Kind[] = ["Extension", "UserGroup", "IncomingNumber"];

type Obj = Record<string, any>;

/** A declared object: its Pulumi name, its natural key, its body with references by natural key. */
export interface PlannedObject {
  kind: Kind;
  name: string;
  key: string;
  args: Obj;
  /** Fields whose value is the id of another object of the tenant: field → [kind, natural keys]. */
  refs?: Record<string, { kind: Kind; keys: string[]; many: boolean }>;
  /** Extension numbers of the tenant this object targets (forwarding, keys, destination). */
  targets?: string[];
}

export interface PlannedTenant {
  fqdn: string;
  tenant: PlannedObject;
  /** Children in an order where every reference points to an earlier object. */
  children: PlannedObject[];
}

export interface FleetPlan {
  prefix: string;
  tenants: PlannedTenant[];
  resourceCount: number;
}

const ADMIN_PASSWORD = "Bench-Admin-Password-1";
const AGENT_PASSWORD = "Bench-Agent-Password-2";
const PORTAL_PASSWORD = "Bench-Portal-Password-3";

/**
 * How extensions target each other by number: "backward" (each forwards to one declared before it,
 * keys watch the first, numbers ring the first four), or "ring" (each forwards to the next, the last
 * to the first: a cycle of 16).
 */
export type TargetShape = "backward" | "ring";

/**
 * The plan for `resources` resources (a multiple of 50 rounded up). `prefix` keeps FQDNs apart
 * between runs sharing a platform; `variant` changes every agent alias (an update of every agent).
 */
export function fleetPlan(resources: number, prefix: string, variant = 0, targets: TargetShape = "backward"): FleetPlan {
  const tenantCount = Math.max(1, Math.ceil(resources / RESOURCES_PER_TENANT));
  const tenants: PlannedTenant[] = [];
  for (let t = 0; t < tenantCount; t++) tenants.push(plannedTenant(prefix, t, variant, targets));
  return { prefix, tenants, resourceCount: tenantCount * RESOURCES_PER_TENANT };
}

function plannedTenant(prefix: string, t: number, variant: number, targets: TargetShape): PlannedTenant {
  const fqdn = `${prefix}-t${t}.pbx.example.com`;
  const p = `t${t}`;
  const tenant: PlannedObject = {
    kind: "Tenant",
    name: `${p}`,
    key: fqdn,
    args: {
      companyName: `Fleet ${prefix} ${t}`,
      organizationSize: "51-200",
      country: "US",
      fqdn,
      timeZone: "America/New_York",
      language: "en-US",
      admin: { username: `admin${t}`, password: ADMIN_PASSWORD, firstName: "Ada", email: `admin${t}@fleet.example.com` },
      capabilities: { maxAgents: 100, diskQuotaGb: 50, maxWidgets: 5, maxChannelAccounts: 10, maxWorkflows: 10, maxCannedMessages: 100, maxExtensions: 100 },
    },
  };
  const children: PlannedObject[] = [];
  const queues = ["Sales", "Support", "Billing", "Escalations"];
  queues.forEach((q, i) =>
    children.push({ kind: "Queue", name: `${p}-queue-${i}`, key: q, args: { name: q, description: `${q} queue`, channel: "chat", skills: [q.toLowerCase()] } }),
  );
  const agents: string[] = [];
  for (let i = 0; i < 15; i++) {
    const account = `agent${i}`;
    agents.push(account);
    children.push({
      kind: "Agent",
      name: `${p}-${account}`,
      key: account,
      args: {
        account,
        password: AGENT_PASSWORD,
        firstName: `First${i}`,
        lastName: `Last${i}`,
        alias: `alias-${i}-v${variant}`,
        email: `${account}.${t}@fleet.example.com`,
        roles: i === 0 ? ["agent", "supervisor"] : ["agent"],
        skills: ["english"],
      },
      refs: { queueIds: { kind: "Queue", keys: [queues[i % queues.length]], many: true } },
    });
  }
  const numbers: string[] = [];
  for (let i = 0; i < 16; i++) numbers.push(String(200 + i));
  numbers.forEach((number, i) => {
    const next = numbers[(i + 1) % numbers.length];
    const prev = numbers[(i + numbers.length - 1) % numbers.length];
    const args: Obj = { number, name: `Ext ${number}`, email: `ext${number}.${t}@fleet.example.com`, voicemail: true, directory: true };
    // backward: 201–203 forward to 200, the others to one of 201–203 (a graph two deep).
    const forwardTo = targets === "ring" ? next : i === 0 ? "+12125550101" : i < 4 ? numbers[0] : numbers[1 + (i % 3)];
    if (i % 4 === 3) args.followMe = { destinations: [{ target: "+12125550100", ringSeconds: 20 }] };
    else args.forwarding = { onNoAnswer: { destinations: [{ target: forwardTo, ringSeconds: 15 }], voicemailLastResort: true } };
    if (targets === "ring") args.keys = [{ position: 1, action: "blf", target: prev }];
    else if (i > 0) args.keys = [{ position: 1, action: "blf", target: numbers[0] }];
    const targetsOf = [forwardTo, ...((args.keys as Obj[] | undefined) ?? []).map((k) => k.target as string)].filter((n) => numbers.includes(n));
    if (i % 4 === 0) args.portal = { username: `ext${number}`, password: PORTAL_PASSWORD, permissions: ["userPortalAccess"] };
    children.push({
      kind: "Extension",
      name: `${p}-ext-${number}`,
      key: number,
      args,
      refs: i < 10 ? { agentId: { kind: "Agent", keys: [agents[i]], many: false } } : undefined,
      targets: args.followMe ? targetsOf.filter((n) => n !== forwardTo) : targetsOf,
    });
  });
  for (let g = 0; g < 3; g++) {
    children.push({
      kind: "UserGroup",
      name: `${p}-group-${g}`,
      key: `Group ${g}`,
      args: { name: `Group ${g}` },
      refs: {
        memberIds: { kind: "Extension", keys: numbers.slice(g * 5, g * 5 + 5), many: true },
        queueId: { kind: "Queue", keys: [queues[g]], many: false },
      },
    });
  }
  for (let n = 0; n < 4; n++) {
    const e164 = `+1212${String(t).padStart(4, "0")}${String(n).padStart(3, "0")}`;
    children.push({
      kind: "IncomingNumber",
      name: `${p}-number-${n}`,
      key: e164,
      args: { number: e164, destination: n === 3 ? { type: "voicemail", target: numbers[0] } : { type: "extension", target: numbers[n] } },
      targets: [n === 3 ? numbers[0] : numbers[n]],
    });
  }
  const creds: Array<[string, string, Obj, boolean]> = [
    ["Events", "apiToken", { scopes: ["events:read"], expiresAt: "2099-01-01T00:00:00Z" }, false],
    ["Hook", "webhook", { settings: { url: "https://hooks.fleet.example.com/in", events: ["chat.closed", "agent.assigned"] } }, false],
    ["CRM", "zoho", { secrets: { apiKey: "fleet-crm-api-key" } }, true],
    ["Sales CRM", "salesforce", { settings: { instanceUrl: "https://fleet.my.salesforce.com" }, secrets: { clientSecret: "fleet-sf-secret" } }, true],
    ["Portal App", "oauth2Client", { scopes: ["openid"], expiresAt: "2099-01-01T00:00:00Z", settings: { redirectUris: ["https://app.fleet.example.com/cb"] } }, false],
    ["Assistant", "modelProvider", { settings: { provider: "acme-ai", model: "helper-1", firstResponseSlaSeconds: 60 } }, false],
    ["Softphone", "iris", {}, true],
  ];
  for (const [name, kind, extra, tagged] of creds) {
    children.push({
      kind: "IntegrationCredential",
      name: `${p}-cred-${kind}`,
      key: name,
      args: { name, kind, ...extra },
      refs: tagged ? { agentIds: { kind: "Agent", keys: [agents[1], agents[2]], many: true } } : undefined,
    });
  }
  return { fqdn, tenant, children };
}

/** Every declared object of a tenant's kind, by natural key (the default queue excluded). */
export function declaredKeys(pt: PlannedTenant, kind: Kind): string[] {
  return pt.children.filter((c) => c.kind === kind).map((c) => c.key).sort();
}

/** Declares a resource; returns it and the output of its id. */
export type Factory = (kind: Kind, name: string, args: Obj, opts?: pulumi.CustomResourceOptions) => { resource: pulumi.Resource; id: pulumi.Output<string> };

/** The omnitenant SDK. */
export const omnitenantFactory: Factory = (kind, name, args, opts) => {
  switch (kind) {
    case "Tenant": {
      const r = new omni.Tenant(name, args as omni.TenantArgs, opts);
      return { resource: r, id: r.tenantId };
    }
    case "Queue": {
      const r = new omni.Queue(name, args as omni.QueueArgs, opts);
      return { resource: r, id: r.queueId };
    }
    case "Agent": {
      const r = new omni.Agent(name, args as omni.AgentArgs, opts);
      return { resource: r, id: r.agentId };
    }
    case "Extension": {
      const r = new omni.Extension(name, args as omni.ExtensionArgs, opts);
      return { resource: r, id: r.extensionId };
    }
    case "UserGroup": {
      const r = new omni.UserGroup(name, args as omni.UserGroupArgs, opts);
      return { resource: r, id: r.userGroupId };
    }
    case "IncomingNumber": {
      const r = new omni.IncomingNumber(name, args as omni.IncomingNumberArgs, opts);
      return { resource: r, id: r.incomingNumberId };
    }
    case "IntegrationCredential": {
      const r = new omni.IntegrationCredential(name, args as omni.IntegrationCredentialArgs, opts);
      return { resource: r, id: r.credentialId };
    }
  }
};

/** Secret inputs of each kind, wrapped as secrets by the no-op factory as the SDK does. */
const secretFields: Record<Kind, string[]> = {
  Tenant: ["admin"],
  Queue: [],
  Agent: ["password"],
  Extension: ["portal"],
  UserGroup: [],
  IncomingNumber: [],
  IntegrationCredential: ["secrets"],
};

/**
 * A dynamic provider that does nothing: create returns an id and the inputs, no HTTP. One shared
 * instance per kind, as the SDK does, so that Pulumi serializes each once.
 */
function noopProvider(prefix: string): pulumi.dynamic.ResourceProvider {
  return {
    async create(inputs: Obj) {
      const id = `${prefix}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
      return { id, outs: { ...inputs, oid: id } };
    },
    async diff() {
      return { changes: false };
    },
  };
}

const noopProviders = new Map<Kind, pulumi.dynamic.ResourceProvider>();

class NoopResource extends pulumi.dynamic.Resource {
  declare public readonly oid: pulumi.Output<string>;
  constructor(kind: Kind, name: string, args: Obj, opts?: pulumi.CustomResourceOptions) {
    let provider = noopProviders.get(kind);
    if (!provider) noopProviders.set(kind, (provider = noopProvider(kind.toLowerCase())));
    const inputs: Obj = { oid: undefined };
    for (const [k, v] of Object.entries(args)) inputs[k] = secretFields[kind].includes(k) ? pulumi.secret(v) : v;
    super(provider, name, inputs, opts, "omnibench", kind);
  }
}

/** The same shape as the SDK, through a no-op dynamic provider: what the engine costs by itself. */
export const noopFactory: Factory = (kind, name, args, opts) => {
  const r = new NoopResource(kind, name, args, opts);
  return { resource: r, id: r.oid };
};

export interface ProgramOptions {
  /**
   * Make each PBX object depend (dependsOn) on the extensions of the program it targets by number,
   * so that the engine creates a target before what targets it. Not possible for a ring. Without
   * it the provider waits inside the create for the target (provider/apply.ts), holding one of the
   * engine's --parallel slots while it waits: see the benchmark notes.
   */
  dependOnTargets?: boolean;
}

/** Declares the plan through a factory, in plan order; references become id outputs. */
export function fleetProgram(plan: FleetPlan, factory: Factory, options: ProgramOptions = {}): { tenantIds: pulumi.Output<string>[] } {
  const tenantIds: pulumi.Output<string>[] = [];
  for (const pt of plan.tenants) {
    const tenantId = factory("Tenant", pt.tenant.name, pt.tenant.args).id;
    tenantIds.push(tenantId);
    const made = new Map<string, { resource: pulumi.Resource; id: pulumi.Output<string> }>();
    for (const c of pt.children) {
      const args: Obj = { tenantId, ...c.args };
      for (const [field, ref] of Object.entries(c.refs ?? {})) {
        const refIds = ref.keys.map((k) => made.get(`${ref.kind}/${k}`)!.id);
        args[field] = ref.many ? refIds : refIds[0];
      }
      const dependsOn = options.dependOnTargets ? (c.targets ?? []).map((n) => made.get(`Extension/${n}`)?.resource).filter((r): r is pulumi.Resource => !!r) : [];
      made.set(`${c.kind}/${c.key}`, factory(c.kind, c.name, args, dependsOn.length ? { dependsOn } : undefined));
    }
  }
  return { tenantIds };
}
