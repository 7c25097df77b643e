/**
 * A change the platform will not apply leaves nothing behind, through the real Pulumi CLI: the up
 * fails, saying what it waited for while it waited; the change is withdrawn from the platform; and
 * correcting the program is enough — the next up succeeds with no refresh and nothing pending.
 */
import * as omni from "omnitenant";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { createTestStack, outputCollector, type TestStack } from "../support/engine";

interface Variant {
  /** Forwarding target of extension 401 (none when undefined). */
  target401?: string;
  /** Extension 403 and its forwarding target (absent when undefined). */
  target403?: string;
}

function program(v: Variant) {
  const tenant = new omni.Tenant("tenant", {
    companyName: "Leftover Corp",
    organizationSize: "11-50",
    country: "FR",
    fqdn: "leftovers.pbx.example.com",
    timeZone: "Europe/Paris",
    language: "fr",
    admin: { username: "left-admin", password: "Leftover-Admin-Pass-1", firstName: "Lea", email: "lea@leftovers.example.com" },
    capabilities: { maxAgents: 5, diskQuotaGb: 10, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 5, maxExtensions: 10 },
  });
  const tenantId = tenant.tenantId;
  const onBusy = (target: string) => ({ onBusy: { destinations: [{ target }] } });
  new omni.Extension("ext401", { tenantId, number: "401", name: "Desk", ...(v.target401 ? { forwarding: onBusy(v.target401) } : {}) });
  new omni.Extension("ext402", { tenantId, number: "402", name: "Backup" });
  if (v.target403) new omni.Extension("ext403", { tenantId, number: "403", name: "New", forwarding: onBusy(v.target403) });
  return { tenantId };
}

describe("a change the platform will not apply is withdrawn", () => {
  let platform: TestPlatform;
  let test: TestStack;
  let variant: Variant = {};
  let tenantId: string;

  const pending = async () => (await platform.api("GET", `/v1/tenants/${tenantId}/changes`)).body.items;
  const extensions = async () =>
    ((await platform.api("GET", `/v1/tenants/${tenantId}/extensions?limit=500`)).body.items as Array<Record<string, any>>)
      .map((e) => ({ number: e.number, forwarding: e.forwarding?.onBusy?.destinations?.[0]?.target ?? null, live: e.appliedRevision === e.revision }))
      .sort((a, b) => a.number.localeCompare(b.number));

  beforeAll(async () => {
    platform = await startTestPlatform();
    // A short wait for targets, longer than the few seconds after which the wait is announced.
    test = await createTestStack({ name: "withdrawn", platform, program: async () => program(variant), config: { "omnitenant:applyWaitMs": "6000" } });
    tenantId = (await test.stack.up()).outputs.tenantId.value;
  });

  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  it("an update to a target that exists nowhere: the up fails and says what it waited for; the object is as before; reverting the program needs nothing more", async () => {
    const before = await extensions();
    variant = { target401: "999" };
    const out = outputCollector();
    await expect(test.stack.up({ onOutput: out.onOutput })).rejects.toThrow();
    expect(out.text()).toContain("the platform will not apply its change yet (forwarding.onBusy.destinations.0.target: extension 999 does not exist in the tenant");
    expect(out.text()).toContain("waiting up to 6 s in all for another resource of this deployment to create the target.");
    expect(out.text()).toContain("forwarding.onBusy.destinations[0].target: extension 999 does not exist in the tenant");
    expect(out.text()).toContain("The platform withdrew the change: the extension is as it was before this deployment.");
    expect(await pending()).toEqual([]);
    expect(await extensions()).toEqual(before);

    variant = {};
    const preview = await test.stack.preview();
    const up = await test.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(preview.changeSummary).toEqual(up.summary.resourceChanges);
    expect(await pending()).toEqual([]);
    expect(await extensions()).toEqual(before);
  });

  it("an update corrected to a target that exists: the next up applies it, no refresh, nothing pending", async () => {
    variant = { target401: "998" };
    await expect(test.stack.up()).rejects.toThrow();
    variant = { target401: "402" };
    const up = await test.stack.up();
    expect(up.summary.result).toBe("succeeded");
    expect(await pending()).toEqual([]);
    expect((await extensions()).find((e) => e.number === "401")).toEqual({ number: "401", forwarding: "402", live: true });
  });

  it("a create to a target that exists nowhere: no object is left; the corrected program creates it", async () => {
    const before = await extensions();
    variant = { target401: "402", target403: "997" };
    const out = outputCollector();
    await expect(test.stack.up({ onOutput: out.onOutput })).rejects.toThrow();
    expect(out.text()).toContain("extension 997 does not exist in the tenant");
    expect(out.text()).toContain("The platform withdrew the change");
    expect(await pending()).toEqual([]);
    expect(await extensions()).toEqual(before);

    variant = { target401: "402", target403: "401" };
    const up = await test.stack.up();
    expect(up.summary.resourceChanges).toMatchObject({ create: 1 });
    expect(await pending()).toEqual([]);
    expect((await extensions()).find((e) => e.number === "403")).toEqual({ number: "403", forwarding: "401", live: true });
  });
});
