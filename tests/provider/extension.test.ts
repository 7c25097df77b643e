import { extensionProvider } from "../../provider/extension";
import { tenantProvider } from "../../provider/tenant";
import { checked, lifecycleTests, startProviderPlatform, tenantArgs, type TestPlatform } from "./helpers";

let p: TestPlatform;
let tenant: Record<string, any>;
let n = 300;
beforeAll(async () => {
  p = await startProviderPlatform();
  tenant = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).outs;
});
afterAll(async () => p.close());

const ext = (extra: Record<string, any> = {}) =>
  checked(extensionProvider, {
    tenantId: tenant.tenantId,
    number: String(n++),
    name: "Grace Hopper",
    email: "grace@example.com",
    voicemail: true,
    forwarding: { onNoAnswer: { destinations: [{ target: "+14155550123", ringSeconds: 15 }], voicemailLastResort: true } },
    keys: [{ position: 1, action: "quickCall", target: "+14155550123" }],
    portal: { username: `grace${n}`, password: "portal-password-1" },
    ...extra,
  });

describe("Extension provider over HTTP", () => {
  lifecycleTests({
    p: () => p,
    provider: extensionProvider,
    idField: "extensionId",
    staged: true,
    inputs: ext,
    inPlace: (i) => {
      const { forwarding: _f, ...rest } = i;
      return { ...rest, followMe: { destinations: [{ target: "+14155550199", ringSeconds: 20 }] }, portal: { ...i.portal, password: "portal-password-2" } };
    },
    expectInPlace: (o) => {
      expect(o.forwarding).toBeUndefined();
      expect(o.followMe.destinations[0].target).toBe("+14155550199");
      expect(o.portal.password).toBe("portal-password-2");
    },
    replace: (i) => ({ ...i, number: String(n++) }),
    replaces: ["number"],
    outOfBand: { name: "Renamed in the portal" },
    driftField: "name",
  });

  test("SIP identifiers come back from the create; the password is carried through refresh and update", async () => {
    const inputs = await ext();
    const { id, outs } = await extensionProvider.create(inputs);
    expect(outs.sip).toEqual({ username: inputs.number, domain: expect.any(String), password: expect.any(String), proxy: expect.any(String) });
    const read = await extensionProvider.read(id, outs);
    expect(read.props!.sip.password).toBe(outs.sip.password);
    expect(read.props!.portal.password).toBe("portal-password-1");
    const { outs: updated } = await extensionProvider.update(id, read.props!, { ...inputs, name: "Grace B. Hopper" });
    expect(updated.sip.password).toBe(outs.sip.password);
  });

  test("mutual forwarding created in either order succeeds: a resource waits for its target", async () => {
    const a = String(n++);
    const b = String(n++);
    const fwd = (to: string) => ({ onBusy: { destinations: [{ target: to }] } });
    const ia = await checked(extensionProvider, { tenantId: tenant.tenantId, number: a, name: "A", forwarding: fwd(b) });
    const ib = await checked(extensionProvider, { tenantId: tenant.tenantId, number: b, name: "B", forwarding: fwd(a) });
    // A first, alone: its target does not exist yet, so its first apply is rejected and it waits;
    // B starts only once that apply happened, and both go live.
    const appliesBefore = (await p.stats()).applies;
    const first = extensionProvider.create(ia);
    const end = Date.now() + 60_000;
    while ((await p.stats()).applies === appliesBefore) {
      if (Date.now() > end) throw new Error("A's apply never reached the platform");
      await new Promise((r) => setTimeout(r, 5));
    }
    const second = extensionProvider.create(ib);
    const [ra, rb] = await Promise.all([first, second]);
    expect(ra.outs.appliedRevision).toBe(ra.outs.revision);
    expect(rb.outs.appliedRevision).toBe(rb.outs.revision);
  });

  test("a key whose target never comes fails after the wait and is withdrawn; the next run creates it once the target exists", async () => {
    const target = String(n + 1000);
    const inputs = await ext({ keys: [{ position: 2, action: "blf", target }], forwarding: undefined });
    const { configure } = await import("../../provider/config");
    configure({ applyWaitMs: 200 }, "test");
    const err = await extensionProvider.create(inputs).catch((e) => e);
    configure({ applyWaitMs: 5_000 }, "test");
    expect(err.message).toMatch(/keys\[0\]\.target: extension \d+ does not exist/);
    expect(err.message).toContain("The platform withdrew the change");
    expect(err.id).toBeUndefined(); // nothing for Pulumi to record: the object is gone
    expect((await p.raw("GET", `/v1/tenants/${tenant.tenantId}/changes`)).body.items).toEqual([]);
    // Next run: Pulumi creates the resource again; once the target exists it goes live.
    await extensionProvider.create(await checked(extensionProvider, { tenantId: tenant.tenantId, number: target, name: "Target" }));
    const { outs } = await extensionProvider.create(inputs);
    expect(outs.appliedRevision).toBe(outs.revision);
  });

  test("a saved but unapplied change is finished by the next run", async () => {
    const inputs = await ext();
    const { id, outs } = await extensionProvider.create(inputs);
    // An interrupted run: the PATCH was saved but never applied, and the stack never heard back.
    const res = await p.raw("PATCH", `/v1/tenants/${tenant.tenantId}/extensions/${id}`, { name: "Half done" });
    expect(res.body.appliedRevision).not.toBe(res.body.revision);
    const news = { ...inputs, name: "Half done" };
    const diff = await extensionProvider.diff(id, outs, news);
    expect(diff.changes).toBe(true);
    // The update's If-Match is stale (412), but the object already holds what we want: apply, no error.
    const { outs: done } = await extensionProvider.update(id, outs, news);
    expect(done.appliedRevision).toBe(done.revision);
    const live = await p.raw("GET", `/v1/tenants/${tenant.tenantId}/extensions/${id}`);
    expect(live.body.appliedRevision).toBe(live.body.revision);
  });

  test("adopt brings an existing extension under management", async () => {
    const inputs = await ext();
    await extensionProvider.create(inputs);
    const again = { ...inputs, name: "Adopted", __identity: "proj/stack/Extension/other" };
    await expect(extensionProvider.create(again)).rejects.toThrow(/exists already[\s\S]*adopt: true/);
    const { outs } = await extensionProvider.create({ ...again, adopt: true });
    expect(outs.name).toBe("Adopted");
    expect(outs.appliedRevision).toBe(outs.revision);
  });
});
