/** The program built for a customer, run under Pulumi's mocks: what it declares, and that it is deterministic. */
import * as pulumi from "@pulumi/pulumi";
import { parseCatalogue, type Customer } from "../../automation/catalogue";
import { customerProgram, derivePassword, resourceCount } from "../../automation/program";

interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
}

let registered: Registered[] = [];

const sig = "4dabf18193072939515e22adb298388d";
/** Inputs as the provider sees them: secret envelopes unwrapped. */
function plain(v: any): any {
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === "object") return sig in v ? plain(v.value) : Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

const idFields: Record<string, [string, string]> = {
  Tenant: ["tenantId", "ten"],
  Queue: ["queueId", "que"],
  Agent: ["agentId", "agt"],
  Extension: ["extensionId", "ext"],
  UserGroup: ["userGroupId", "grp"],
  IncomingNumber: ["incomingNumberId", "num"],
  IntegrationCredential: ["credentialId", "crd"],
};

beforeAll(() => {
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        const kind = args.type.split(":").pop()!;
        registered.push({ type: kind, name: args.name, inputs: plain(args.inputs) });
        const [field, prefix] = idFields[kind];
        const id = `${prefix}_${args.name.replace(/[^A-Za-z0-9]/g, "")}`;
        const extra = kind === "Tenant" ? { defaultQueueId: "que_default", portalUrl: `https://${args.inputs.fqdn}/portal` } : {};
        return { id, state: { ...args.inputs, [field]: id, ...extra } };
      },
      call: () => ({}),
    },
    "omnitenant-reseller",
    "acme",
    false,
  );
});

const catalogue = () =>
  parseCatalogue({
    reseller: {
      name: "R",
      domain: "pbx.example.net",
      defaults: { country: "US", timeZone: "UTC", language: "en-US", organizationSize: "1-10", adminEmailDomain: "example.net" },
      plans: { p: { maxAgents: 5, diskQuotaGb: 1, maxWidgets: 1, maxChannelAccounts: 2, maxWorkflows: 1, maxCannedMessages: 1, maxExtensions: 5 } },
    },
    customers: [
      {
        id: "acme",
        plan: "p",
        tenant: { companyName: "Acme", admin: { password: { env: "ACME_ADMIN" } } },
        queues: [{ name: "Sales" }, { name: "Support" }],
        agents: [
          { account: "ann", firstName: "Ann", alias: "Ann", email: "ann@example.com", queues: ["Support", "Sales"] },
          { account: "bob", firstName: "Bob", alias: "Bob", email: "bob@example.com", queues: ["Default"], password: "bob-literal-pw" },
        ],
        extensions: [
          { number: "102", name: "Bob", agent: "bob", forwarding: { onBusy: { destinations: [{ target: "101" }] } } },
          { number: "101", name: "Ann", agent: "ann", portal: { username: "ann", permissions: ["userPortalAccess"] } },
        ],
        userGroups: [{ name: "Front", members: ["101", "102"], queue: "Support" }],
        numbers: [{ number: "+14155550100", destination: { type: "extension", target: "101" } }],
        credentials: [{ name: "CRM", kind: "hubspot", agents: ["ann"], secrets: { apiKey: { env: "ACME_CRM" } } }],
      },
    ],
  }).entries[0].customer as Customer;

const env = { ACME_ADMIN: "admin-from-env", ACME_CRM: "crm-key-from-env" };

async function build(c: Customer, seed: string): Promise<{ resources: Registered[]; outputs: Record<string, unknown> }> {
  registered = [];
  const outputs = (await customerProgram(c, { seed, env })()) as Record<string, unknown>;
  // Let every registration (and its dependencies' outputs) settle: poll, with a generous deadline.
  const end = Date.now() + 60_000;
  while (registered.length < resourceCount(c)) {
    if (Date.now() > end) throw new Error(`${registered.length} of ${resourceCount(c)} resources registered before the deadline`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return { resources: registered, outputs };
}

const byName = (rs: Registered[], name: string) => rs.find((r) => r.name === name)!;

describe("customer program", () => {
  it("declares one resource per catalogue object, named by natural key, references resolved by name", async () => {
    const c = catalogue();
    const { resources } = await build(c, "seed-1");
    expect(resources).toHaveLength(resourceCount(c));
    // Registration order follows when dependencies resolve; the program declares them in catalogue order.
    expect(resources.map((r) => `${r.type}/${r.name}`).sort()).toEqual([
      "Tenant/acme", "Queue/queue-Sales", "Queue/queue-Support", "Agent/agent-ann", "Agent/agent-bob",
      "Extension/ext-102", "Extension/ext-101", "UserGroup/group-Front", "IncomingNumber/number-+14155550100", "IntegrationCredential/credential-CRM",
    ].sort());
    expect(byName(resources, "acme").inputs).toMatchObject({ fqdn: "acme.pbx.example.net", plan: "p", admin: { username: "acme-admin", password: "admin-from-env" } });
    expect(byName(resources, "agent-ann").inputs.queueIds).toEqual(["que_queueSupport", "que_queueSales"]);
    expect(byName(resources, "agent-bob").inputs).toMatchObject({ queueIds: ["que_default"], password: "bob-literal-pw" });
    expect(byName(resources, "ext-101").inputs).toMatchObject({ agentId: "agt_agentann", portal: { username: "ann", password: derivePassword("seed-1", "portal/101") } });
    expect(byName(resources, "group-Front").inputs).toMatchObject({ memberIds: ["ext_ext101", "ext_ext102"], queueId: "que_queueSupport" });
    expect(byName(resources, "credential-CRM").inputs).toMatchObject({ agentIds: ["agt_agentann"], secrets: { apiKey: "crm-key-from-env" } });
    for (const r of resources) expect(r.inputs.tenantId ?? "ten_acme").toBe("ten_acme");
  });

  it("is deterministic: the same catalogue and seed give the same inputs; derived passwords differ per seed and per object", async () => {
    const first = await build(catalogue(), "seed-1");
    const second = await build(catalogue(), "seed-1");
    const sorted = (rs: Registered[]) => JSON.stringify([...rs].sort((a, b) => a.name.localeCompare(b.name)));
    expect(sorted(second.resources)).toBe(sorted(first.resources));
    const agentPw = byName(first.resources, "agent-ann").inputs.password;
    expect(agentPw).toBe(derivePassword("seed-1", "agent/ann"));
    expect(agentPw).not.toBe(derivePassword("seed-2", "agent/ann"));
    expect(agentPw).not.toBe(derivePassword("seed-1", "agent/bob"));
    expect(agentPw.length).toBeGreaterThanOrEqual(8);
  });

  it("keeps the seed and the admin password as secret outputs, for the next run and the reseller", async () => {
    const { outputs } = await build(catalogue(), "seed-9");
    expect(await pulumi.isSecret(outputs.passwordSeed as pulumi.Output<string>)).toBe(true);
    expect(await pulumi.isSecret(outputs.adminPassword as pulumi.Output<string>)).toBe(true);
    expect(await pulumi.isSecret(outputs.tenantId as pulumi.Output<string>)).toBe(false);
  });

  it("fails the program, not the process, when an environment secret is missing", async () => {
    await expect(customerProgram(catalogue(), { seed: "s", env: {} })()).rejects.toThrow("environment variable ACME_ADMIN is not set");
  });
});

describe("customer fingerprint", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { fingerprint } = require("../../automation/provision-stack") as typeof import("../../automation/provision-stack");
  const o = (env: Record<string, string>) => ({ endpoint: "http://127.0.0.1:1", packDirs: [], packConfigs: [], env });

  it("is stable for the same inputs and changes with the entry, an environment secret, the platform or the seed", () => {
    const base = fingerprint(catalogue(), "seed", o(env));
    expect(fingerprint(catalogue(), "seed", o(env))).toBe(base);
    const changed = catalogue();
    changed.agents[0].alias = "Annie";
    expect(fingerprint(changed, "seed", o(env))).not.toBe(base);
    expect(fingerprint(catalogue(), "seed", o({ ...env, ACME_CRM: "rotated" }))).not.toBe(base);
    expect(fingerprint(catalogue(), "seed", { ...o(env), endpoint: "http://127.0.0.1:2" })).not.toBe(base);
    expect(fingerprint(catalogue(), "other-seed", o(env))).not.toBe(base);
    expect(base).not.toContain("crm-key-from-env");
  });

  it("is kept as an output that resolves with the customer's resources", async () => {
    registered = [];
    const outputs = (await customerProgram(catalogue(), { seed: "s", env, fingerprint: "fp-1" })()) as Record<string, pulumi.Output<string>>;
    expect(await new Promise((r) => outputs.catalogueFingerprint.apply(r))).toBe("fp-1");
    expect(registered).toHaveLength(resourceCount(catalogue()));
  });
});
