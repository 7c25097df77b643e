/** The catalogue schema: defaults, references by name, and errors that name the customer and the field. */
import * as path from "node:path";
import { CatalogueError, describeIssue, loadCatalogue, missingEnv, parseCatalogue, type Catalogue } from "../../automation/catalogue";

const reseller = {
  name: "Northwind",
  domain: "pbx.northwind.example",
  defaults: { country: "US", timeZone: "America/New_York", language: "en-US", organizationSize: "11-50", adminEmailDomain: "ops.northwind.example" },
  plans: { starter: { maxAgents: 5, diskQuotaGb: 10, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 2, maxCannedMessages: 50, maxExtensions: 5 } },
};

const good = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  plan: "starter",
  tenant: { companyName: `${id} Inc` },
  queues: [{ name: "Sales" }],
  agents: [{ account: "ann", firstName: "Ann", alias: "Ann", email: "ann@example.com", queues: ["Sales"] }],
  extensions: [{ number: "101", name: "Ann", agent: "ann" }],
  ...extra,
});

/** Every problem of the catalogue, as the CLI prints them. */
const problems = (c: Catalogue) => c.entries.flatMap((e) => e.issues.map((i) => describeIssue(e, i)));

describe("catalogue", () => {
  it("applies the reseller's defaults and the plan's capabilities", () => {
    const c = parseCatalogue({ reseller, customers: [good("acme")] });
    expect(problems(c)).toEqual([]);
    const customer = c.entries[0].customer!;
    expect(customer.tenant).toMatchObject({
      companyName: "acme Inc",
      fqdn: "acme.pbx.northwind.example",
      country: "US",
      timeZone: "America/New_York",
      language: "en-US",
      organizationSize: "11-50",
      plan: "starter",
      deletionProtection: false,
      admin: { username: "acme-admin", firstName: "Administrator", email: "acme-admin@ops.northwind.example" },
      capabilities: reseller.plans.starter,
    });
    expect(customer.tenant.admin.password).toBeUndefined();
  });

  it("lets a customer override defaults and capabilities", () => {
    const c = parseCatalogue({
      reseller,
      customers: [good("acme", { tenant: { companyName: "Acme", country: "FR", fqdn: "pbx.acme.example.com" }, capabilities: { maxAgents: 3 }, deletionProtection: true })],
    });
    const t = c.entries[0].customer!.tenant;
    expect([t.country, t.fqdn, t.capabilities.maxAgents, t.capabilities.maxExtensions, t.deletionProtection]).toEqual(["FR", "pbx.acme.example.com", 3, 5, true]);
  });

  it("names the customer and the field of a bad value, with the provider's own rule", () => {
    const c = parseCatalogue({
      reseller,
      customers: [good("a"), good("b"), good("c"), good("globex", { agents: [good("x").agents[0], { ...good("x").agents[0], account: "bob", roles: ["boss"] }] })],
    });
    const bad = c.entries[3];
    expect(bad.customer).toBeUndefined();
    expect(bad.id).toBe("globex");
    expect(problems(c)).toHaveLength(1);
    expect(problems(c)[0]).toMatch(/^customers\[3\] "globex": agents\[1\]\.roles\[0\]: /);
    for (const e of c.entries.slice(0, 3)) expect(e.customer).toBeDefined();
  });

  it("maps provider field paths back to catalogue names and reports cross-field rules", () => {
    const c = parseCatalogue({
      reseller,
      customers: [
        good("acme", {
          extensions: [
            { number: "101", name: "Ann", agent: "ann", followMe: { destinations: [{ target: "102" }] }, forwarding: { onBusy: { destinations: [{ target: "102" }] } } },
            { number: "102", name: "Bob", agentId: "agt_abcdef", keys: [{ position: 1, action: "blf" }] },
          ],
          numbers: [{ number: "12345", destination: { type: "extension", target: "101" } }],
        }),
      ],
    });
    const out = problems(c).join("\n");
    expect(out).toContain('customers[0] "acme": extensions[0].followMe: cannot be set together with forwarding');
    expect(out).toContain('customers[0] "acme": extensions[1].agentId: the catalogue names objects instead of ids: use "agent"');
    expect(out).toContain('customers[0] "acme": extensions[1].keys[0].target: a blf key needs a target');
    expect(out).toContain('customers[0] "acme": numbers[0].number: must be an E.164 number');
  });

  it("checks references by name: queues, agents, extensions", () => {
    const c = parseCatalogue({
      reseller,
      customers: [
        good("acme", {
          agents: [{ account: "ann", firstName: "Ann", alias: "Ann", email: "ann@example.com", queues: ["Sales", "Nope", "Default"] }],
          extensions: [{ number: "101", name: "Ann", agent: "zed" }],
          userGroups: [{ name: "G", members: ["101", "999"], queue: "Gone" }],
          credentials: [{ name: "crm", kind: "hubspot", agents: ["ann", "ghost"] }],
        }),
      ],
    });
    expect(problems(c)).toEqual([
      expect.stringMatching(/^customers\[0\] "acme": agents\[0\]\.queues\[1\]: no queue named "Nope"/),
      expect.stringMatching(/^customers\[0\] "acme": extensions\[0\]\.agent: no agent with account "zed"/),
      expect.stringMatching(/^customers\[0\] "acme": userGroups\[0\]\.queue: no queue named "Gone"/),
      expect.stringMatching(/^customers\[0\] "acme": userGroups\[0\]\.members\[1\]: no extension "999"/),
      expect.stringMatching(/^customers\[0\] "acme": credentials\[0\]\.agents\[1\]: no agent with account "ghost"/),
    ]);
  });

  it("reports duplicate natural keys within a customer and duplicate ids and FQDNs across customers", () => {
    const c = parseCatalogue({
      reseller,
      customers: [
        good("acme", { queues: [{ name: "Sales" }, { name: "Sales" }] }),
        good("beta"),
        good("beta"),
        good("gamma", { tenant: { companyName: "G", fqdn: "beta.pbx.northwind.example" } }),
      ],
    });
    expect(problems(c)).toEqual([
      expect.stringContaining('customers[0] "acme": queues[1].name: queue "Sales" is already declared by queues[0]'),
      'customers[2] "beta": id: customer id "beta" is already used by customers[1]',
      'customers[3] "gamma": tenant.fqdn: FQDN "beta.pbx.northwind.example" is already used by customers[1]',
    ]);
    expect(c.entries[1].customer).toBeDefined();
  });

  it("says where a missing profile field can be set, and rejects unknown plans and bad ids", () => {
    const c = parseCatalogue({
      reseller: { ...reseller, defaults: {} },
      customers: [good("acme"), good("Bad_Id"), good("delta", { plan: "platinum" }), { ...good("echo"), extra: 1 }],
    });
    const out = problems(c);
    expect(out).toContain('customers[0] "acme": tenant.country: is required: set it on the customer or in reseller.defaults.country');
    expect(out).toContain('customers[0] "acme": tenant.admin.email: is required: set it on the customer or in reseller.defaults.adminEmailDomain');
    expect(out.find((p) => p.startsWith("customers[1]: id: must be kebab-case"))).toBeDefined();
    expect(out).toContain('customers[2] "delta": plan: unknown plan "platinum"; the reseller\'s plans are starter');
    expect(out.find((p) => p.startsWith('customers[3] "echo": ') && p.includes("extra"))).toBeDefined();
  });

  it("takes secrets written out or as environment references, and finds unset variables", () => {
    const c = parseCatalogue({
      reseller,
      customers: [
        good("acme", {
          tenant: { companyName: "Acme", admin: { password: { env: "ACME_ADMIN_PASSWORD" } } },
          credentials: [{ name: "crm", kind: "hubspot", agents: ["ann"], secrets: { apiKey: { env: "ACME_HUBSPOT" }, other: "literal-secret" } }],
        }),
        good("beta", { agents: [{ ...good("x").agents[0], password: "short" }], credentials: [{ name: "k", kind: "zoho", secrets: { key: { env: "not a name" } } }] }),
      ],
    });
    expect(problems(c)).toEqual([
      'customers[1] "beta": agents[0].password: must be at least 8 characters',
      expect.stringMatching(/^customers\[1\] "beta": credentials\[0\]\.secrets\.key\.env: must be an environment variable name/),
    ]);
    expect(missingEnv(c.entries[0].customer!, { ACME_HUBSPOT: "x" })).toEqual([{ path: "tenant.admin.password", message: "environment variable ACME_ADMIN_PASSWORD is not set" }]);
  });

  it("refuses a catalogue without a usable reseller section as a whole", () => {
    expect(() => parseCatalogue({ customers: [] })).toThrow(CatalogueError);
    expect(() => parseCatalogue({ reseller: { ...reseller, plans: {} }, customers: [] })).toThrow(/reseller\.plans: must define at least one plan/);
    expect(() => parseCatalogue({ reseller: { ...reseller, domain: "Not A Domain" }, customers: [] })).toThrow(/reseller\.domain/);
  });

  it("loads the example catalogue (YAML) without a problem", () => {
    const c = loadCatalogue(path.join(__dirname, "..", "..", "examples", "reseller", "catalogue.yaml"));
    expect(problems(c)).toEqual([]);
    expect(c.entries.map((e) => e.id)).toEqual(["acme-retail", "globex", "initech"]);
  });
});
