import { quotaPolicies } from "../../../policies/quotas/policies";
import { tenant } from "../fixtures";
import { UNKNOWN, urn, violationsOf, type PackConfig, type ResourceSpec } from "../harness";

const pack = quotaPolicies();
const catalogue: PackConfig = {
  "plan-catalogue": {
    plans: {
      starter: { maxAgents: 5, maxExtensions: 5, maxChannelAccounts: 1 },
      business: { maxAgents: 50, diskQuotaGb: 500, maxWidgets: 10, maxChannelAccounts: 10, maxWorkflows: 50, maxCannedMessages: 1000, maxExtensions: 100 },
    },
  },
};
const run = (t: ResourceSpec, config: PackConfig = catalogue) => violationsOf(pack, "plan-catalogue", [t], config);
const acme = tenant("acme"); // plan "business", within it

describe("plan-catalogue", () => {
  it("passes a tenant within its plan", async () => {
    expect(await run(acme)).toEqual([]);
  });

  it("does not apply when no catalogue is configured", async () => {
    expect(await run(tenant("acme", { plan: undefined }), {})).toEqual([]);
  });

  it("refuses capabilities above the plan, naming each one", async () => {
    const v = await run(tenant("acme", { plan: "starter" }));
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].urn).toBe(urn(acme));
    expect(v[0].message).toContain('omnitenant:Tenant "acme"');
    expect(v[0].message).toContain('plan "starter"');
    expect(v[0].message).toContain("capabilities.maxAgents 10 > 5, capabilities.maxChannelAccounts 5 > 1, capabilities.maxExtensions 20 > 5");
  });

  it("refuses one capability above the plan", async () => {
    const caps = (acme.props.capabilities as Record<string, number>);
    const v = await run(tenant("acme", { capabilities: { ...caps, diskQuotaGb: 501 } }));
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("capabilities.diskQuotaGb 501 > 500");
  });

  it("refuses a tenant without a plan when a catalogue is configured", async () => {
    const v = await run(tenant("acme", { plan: undefined }));
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain("plan not set");
    expect(v[0].message).toContain('set plan to one of "starter", "business"');
  });

  it("refuses a plan that is not in the catalogue", async () => {
    const v = await run(tenant("acme", { plan: "platinum" }));
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain('plan "platinum" is not in the catalogue');
  });

  it("skips an unknown plan or capability during a preview", async () => {
    expect(await run(tenant("acme", { plan: UNKNOWN }))).toEqual([]);
    expect(await run(tenant("acme", { plan: "starter", capabilities: UNKNOWN }))).toEqual([]);
  });
});
