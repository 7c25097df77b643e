import { leastPrivilegePolicies } from "../../../policies/least-privilege/policies";
import { agent, NOW, tenant } from "../fixtures";
import { childOf, evaluate, UNKNOWN, urn, urnOf, violationsOf, type ResourceSpec } from "../harness";

const pack = (stack = "dev") => leastPrivilegePolicies({ stack: () => stack, now: () => NOW });
const acme = tenant("acme");

describe("agent-roles", () => {
  const run = (a: ResourceSpec, config = {}) => violationsOf(pack(), "agent-roles", [acme, a], config);

  it("passes an agent with the agent role alone", async () => {
    expect(await run(agent(acme, "jane"))).toEqual([]);
  });

  it("passes an agent that names no roles (the platform gives it agent alone)", async () => {
    const a = agent(acme, "jane");
    delete a.props.roles;
    expect(await run(a)).toEqual([]);
  });

  it("refuses a role beyond agent that the config does not grant, naming account, roles and the config fix", async () => {
    const v = await run(agent(acme, "jane", { roles: ["agent", "supervisor"] }));
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].urn).toBe(urnOf("Agent", "jane"));
    expect(v[0].message).toContain('omnitenant:Agent "jane"');
    expect(v[0].message).toContain('roles ["agent","supervisor"]');
    expect(v[0].message).toContain('account "jane"');
    expect(v[0].message).toContain('{"agent-roles": {"grants": {"jane": ["supervisor"]}}}');
  });

  it("passes the roles the config grants to that account, and only to that account", async () => {
    const config = { "agent-roles": { grants: { jane: ["supervisor", "admin"] } } };
    expect(await run(agent(acme, "jane", { roles: ["agent", "supervisor", "admin"] }), config)).toEqual([]);
    expect(await run(agent(acme, "john", { roles: ["agent", "supervisor"] }), config)).toHaveLength(1);
  });

  it("refuses a granted account taking a role it was not granted", async () => {
    const v = await run(agent(acme, "jane", { roles: ["agent", "admin"] }), { "agent-roles": { grants: { jane: ["supervisor"] } } });
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain('"admin" is not granted');
    expect(v[0].message).toContain("or grant it in the policy pack config");
  });

  it("names every role not granted, in the plural when there are several", async () => {
    const v = await run(agent(acme, "jane", { roles: ["agent", "supervisor", "admin"] }));
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain('"supervisor", "admin" are not granted');
    expect(v[0].message).toContain('remove "supervisor", "admin" from roles, or grant them in the policy pack config');
    expect(v[0].message).toContain('{"agent-roles": {"grants": {"jane": ["supervisor","admin"]}}}');
  });

  it("skips unknown roles during a preview instead of failing the policy", async () => {
    expect(await run(agent(acme, "jane", { roles: UNKNOWN }))).toEqual([]);
    expect(await run(agent(acme, "jane", { roles: ["agent", UNKNOWN] }))).toEqual([]);
  });
});

describe("max-admins-per-tenant", () => {
  const admins = (t: ResourceSpec, n: number) => Array.from({ length: n }, (_, i) => agent(t, `admin${i}`, { roles: ["admin"] }));
  const run = (resources: ResourceSpec[], config = {}) => violationsOf(pack(), "max-admins-per-tenant", resources, config);

  it("passes two admins in a tenant (the default cap)", async () => {
    expect(await run([acme, ...admins(acme, 2), agent(acme, "jane")])).toEqual([]);
  });

  it("refuses a third admin in a brand-new tenant, grouped by dependency while ids are unknown", async () => {
    const v = await run([acme, ...admins(acme, 3)]);
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].urn).toBe(urn(acme));
    expect(v[0].message).toContain('omnitenant:Tenant "acme"');
    expect(v[0].message).toContain('admin agents "admin0", "admin1", "admin2"');
    expect(v[0].message).toContain('"maxAdmins": 3');
  });

  it("counts each tenant separately", async () => {
    const globex = tenant("globex");
    expect(await run([acme, globex, ...admins(acme, 2), ...admins(globex, 2).map((a) => ({ ...a, name: `g-${a.name}` }))])).toEqual([]);
  });

  it("follows the configured cap", async () => {
    expect(await run([acme, ...admins(acme, 1)], { "max-admins-per-tenant": { maxAdmins: 0 } })).toHaveLength(1);
    expect(await run([acme, ...admins(acme, 4)], { "max-admins-per-tenant": { maxAdmins: 4 } })).toEqual([]);
  });

  it("groups by known tenant id for a tenant the stack does not declare", async () => {
    const external = (name: string) => ({ kind: "Agent" as const, name, props: { ...agent(acme, name).props, tenantId: "ten_existing01", roles: ["admin"] } });
    const v = await run([external("a"), external("b"), external("c")]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("tenant ten_existing01 (not declared in this stack)");
    expect(v[0].urn).toBe(urnOf("Agent", "c"));
  });

  it("attaches an existing tenant's children by id when they have no dependency on it", async () => {
    const existing = tenant("acme", { tenantId: "ten_acme0001" });
    const byId = (name: string) => ({ kind: "Agent" as const, name, props: { ...agent(acme, name).props, tenantId: "ten_acme0001", roles: ["admin"] } });
    const v = await run([existing, byId("a"), byId("b"), agent(existing, "c", { roles: ["admin"] })]);
    expect(v).toHaveLength(1);
    expect(v[0].urn).toBe(urn(existing));
  });

  it("does not count agents whose roles are unknown, nor crash on them", async () => {
    expect(await run([acme, ...admins(acme, 2), agent(acme, "x", { roles: UNKNOWN })])).toEqual([]);
  });

  it("falls back to the only Tenant among the dependencies when the id went through an apply", async () => {
    const viaApply = (name: string): ResourceSpec => ({ ...childOf(acme, "Agent", name, { ...agent(acme, name).props, roles: ["admin"] }), propertyDependencies: {}, dependencies: [urn(acme)] });
    expect(await run([acme, viaApply("a"), viaApply("b"), viaApply("c")])).toHaveLength(1);
  });
});

describe("no-test-role-in-production", () => {
  const run = (stack: string, a: ResourceSpec, config = {}) => violationsOf(pack(stack), "no-test-role-in-production", [acme, a], config);
  const tester = agent(acme, "qa", { roles: ["agent", "test"] });

  it("passes an agent without the test role on a production stack", async () => {
    expect(await run("prod", agent(acme, "jane"))).toEqual([]);
  });

  it("refuses the test role on prod, production and prod-eu stacks", async () => {
    for (const stack of ["prod", "production", "prod-eu"]) {
      const v = await run(stack, tester);
      expect(v).toHaveLength(1);
      expect(v[0].level).toBe("mandatory");
      expect(v[0].message).toContain(`stack "${stack}" is a production stack`);
      expect(v[0].message).toContain('roles ["agent","test"]');
      expect(v[0].message).toContain('remove "test" from roles');
    }
  });

  it("passes the test role on other stacks (dev, staging, products)", async () => {
    for (const stack of ["dev", "staging", "products", "preprod"]) expect(await run(stack, tester)).toEqual([]);
  });

  it("follows the configured production pattern", async () => {
    const config = { "no-test-role-in-production": { productionStackPattern: "^live$" } };
    expect(await run("live", tester, config)).toHaveLength(1);
    expect(await run("prod", tester, config)).toEqual([]);
  });

  it("refuses a pattern that is not a regular expression, naming the policy and key", async () => {
    await expect(run("prod", tester, { "no-test-role-in-production": { productionStackPattern: "(" } })).rejects.toThrow(
      /invalid config for policy "no-test-role-in-production": "productionStackPattern" is not a valid regular expression/,
    );
  });
});

describe("agent-explicit-queues", () => {
  const run = (a: ResourceSpec) => violationsOf(pack(), "agent-explicit-queues", [acme, a]);

  it("passes an agent with explicit queues, known or still to be created", async () => {
    expect(await run(agent(acme, "jane"))).toEqual([]);
    expect(await run(agent(acme, "jane", { queueIds: [UNKNOWN] }))).toEqual([]);
    expect(await run(agent(acme, "jane", { queueIds: UNKNOWN }))).toEqual([]);
  });

  it("refuses an agent without queueIds", async () => {
    const a = agent(acme, "jane");
    delete a.props.queueIds;
    const v = await run(a);
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].message).toContain("queueIds not set");
    expect(v[0].message).toContain("Fix: set queueIds");
  });

  it("refuses an empty queue list", async () => {
    const v = await run(agent(acme, "jane", { queueIds: [] }));
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("queueIds []");
  });
});

it("never lets an unknown value fail a least-privilege policy during a preview", async () => {
  const everythingUnknown = agent(acme, "jane", { account: UNKNOWN, roles: UNKNOWN, queueIds: UNKNOWN, email: UNKNOWN });
  const { violations } = await evaluate(pack("prod"), [acme, everythingUnknown]);
  expect(violations).toEqual([]);
});
