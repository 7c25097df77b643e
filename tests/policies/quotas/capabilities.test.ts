import { quotaPolicies } from "../../../policies/quotas/policies";
import { agent, credential, extension, tenant } from "../fixtures";
import { evaluate, UNKNOWN, urn, violationsOf, type ResourceSpec } from "../harness";

const pack = quotaPolicies();
const caps = { maxAgents: 2, diskQuotaGb: 50, maxWidgets: 2, maxChannelAccounts: 1, maxWorkflows: 10, maxCannedMessages: 100, maxExtensions: 2 };
const acme = tenant("acme", { capabilities: caps, plan: undefined });
const run = (resources: ResourceSpec[]) => violationsOf(pack, "capability-quotas", resources);
const agents = (t: ResourceSpec, n: number, prefix = "a") => Array.from({ length: n }, (_, i) => agent(t, `${prefix}${i}`));
const extensions = (t: ResourceSpec, n: number, prefix = "e") => Array.from({ length: n }, (_, i) => extension(t, `${prefix}${i}`, { number: `${101 + i}` }));

describe("capability-quotas", () => {
  it("passes a tenant at its limits", async () => {
    expect(await run([acme, ...agents(acme, 2), ...extensions(acme, 2), credential(acme, "crm", "salesforce"), credential(acme, "hook", "webhook")])).toEqual([]);
  });

  it("refuses one agent too many in a brand-new tenant, whose ids are all unknown", async () => {
    const v = await run([acme, ...agents(acme, 3), ...extensions(acme, 2)]);
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].urn).toBe(urn(acme));
    expect(v[0].message).toContain('omnitenant:Tenant "acme"');
    expect(v[0].message).toContain("declares 3 agents for this tenant, more than its capabilities.maxAgents of 2");
    expect(v[0].message).toContain('Agent resources "a0", "a1", "a2"');
    expect(v[0].message).toContain("remove 1 of them, or raise capabilities.maxAgents to at least 3");
  });

  it("refuses one extension too many", async () => {
    const v = await run([acme, ...agents(acme, 2), ...extensions(acme, 3)]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("capabilities.maxExtensions of 2");
  });

  it("counts only channel-account kinds against maxChannelAccounts", async () => {
    const base = [acme, credential(acme, "crm", "salesforce"), credential(acme, "hook", "webhook"), credential(acme, "api", "apiToken"), credential(acme, "ai", "modelProvider")];
    expect(await run(base)).toEqual([]);
    const v = await run([...base, credential(acme, "phone", "iris")]);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("declares 2 channel-account credentials");
    expect(v[0].message).toContain('"crm", "phone"');
  });

  it("counts each tenant against its own capabilities", async () => {
    const big = tenant("globex", { capabilities: { ...caps, maxAgents: 5 } });
    const v = await run([acme, big, ...agents(acme, 2), ...agents(big, 5, "g")]);
    expect(v).toEqual([]);
    const v2 = await run([acme, big, ...agents(acme, 3), ...agents(big, 5, "g")]);
    expect(v2.map((x) => x.urn)).toEqual([urn(acme)]);
  });

  it("attaches children by known tenant id when the tenant already exists", async () => {
    const existing = tenant("acme", { capabilities: caps, tenantId: "ten_acme0001" });
    const byId = (name: string): ResourceSpec => ({ kind: "Agent", name, props: { ...agent(existing, name).props, tenantId: "ten_acme0001" } });
    expect(await run([existing, byId("x"), byId("y"), byId("z")])).toHaveLength(1);
  });

  it("skips a tenant whose capability is unknown, and tenants the stack does not declare", async () => {
    const unknownCaps = tenant("acme", { capabilities: { ...caps, maxAgents: UNKNOWN } });
    expect(await run([unknownCaps, ...agents(unknownCaps, 5)])).toEqual([]);
    const orphan = (name: string): ResourceSpec => ({ kind: "Agent", name, props: { ...agent(acme, name).props, tenantId: "ten_other0001" } });
    expect(await run([acme, orphan("x"), orphan("y"), orphan("z")])).toEqual([]);
  });

  it("does not count a credential whose kind is unknown, and never fails on unknowns", async () => {
    const { violations } = await evaluate(pack, [acme, credential(acme, "crm", "salesforce"), credential(acme, "x", "iris", { kind: UNKNOWN }), agent(acme, "a", { roles: UNKNOWN })]);
    expect(violations).toEqual([]);
  });
});
