/** Save, then apply: concurrent PBX changes share applies, and targets may come in any order. */
import { extensionProvider } from "../../provider/extension";
import { incomingNumberProvider } from "../../provider/incoming-number";
import { userGroupProvider } from "../../provider/user-group";
import { tenantProvider } from "../../provider/tenant";
import { applyStats, applyTenant } from "../../provider/apply";
import { checked, startProviderPlatform, tenantArgs, type TestPlatform } from "./helpers";

let p: TestPlatform;
beforeAll(async () => (p = await startProviderPlatform()));
afterEach(async () => p.faults({}));
afterAll(async () => p.close());

const newTenant = async () =>
  (await tenantProvider.create(await checked(tenantProvider, { ...tenantArgs(), capabilities: { ...tenantArgs().capabilities, maxExtensions: 200 } }))).id;

describe("apply coalescing", () => {
  test("40 concurrent extension creates are all live, with no more applies than creates", async () => {
    const tenantId = await newTenant();
    const inputs = await Promise.all(Array.from({ length: 40 }, (_, i) => checked(extensionProvider, { tenantId, number: String(100 + i), name: `E${i}` })));
    const before = (await p.stats()).applies;
    const made = await Promise.all(inputs.map((x) => extensionProvider.create(x)));
    const applies = (await p.stats()).applies - before;
    // How many batches the creates fall into depends on the machine's speed (the benchmark reports
    // the ratio); that callers of one burst share one apply is pinned exactly in the next test.
    expect(applies).toBeGreaterThanOrEqual(1);
    expect(applies).toBeLessThanOrEqual(inputs.length);
    for (const m of made) expect(m.outs.appliedRevision).toBe(m.outs.revision);
    const pending = await p.raw("GET", `/v1/tenants/${tenantId}/changes`);
    expect(pending.body.items).toEqual([]);
  });

  test("callers that join in one burst share exactly one apply, and all get its result", async () => {
    const tenantId = await newTenant();
    const before = (await p.stats()).applies;
    const results = await Promise.all(Array.from({ length: 40 }, () => applyTenant(tenantId)));
    expect((await p.stats()).applies - before).toBe(1);
    for (const r of results) expect(r).toBe(results[0]);
  });

  test("a ring of forwarding targets succeeds whatever the order of the creates", async () => {
    const tenantId = await newTenant();
    const n = 8;
    const inputs = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        checked(extensionProvider, { tenantId, number: String(200 + i), name: `R${i}`, followMe: { destinations: [{ target: String(200 + ((i + 1) % n)) }] } }),
      ),
    );
    // Reverse order, staggered: each create's target arrives after it, the last one closes the ring.
    const made = [];
    for (const x of inputs.reverse()) {
      made.push(extensionProvider.create(x));
      await new Promise((r) => setTimeout(r, 40));
    }
    const results = await Promise.all(made);
    for (const r of results) expect(r.outs.appliedRevision).toBe(r.outs.revision);
  });

  test("staged kinds together: a group, a number and the extensions they point at, created at once", async () => {
    const tenantId = await newTenant();
    const e1 = extensionProvider.create(await checked(extensionProvider, { tenantId, number: "300", name: "Desk" }));
    const num = incomingNumberProvider.create(await checked(incomingNumberProvider, { tenantId, number: "+33187650000", destination: { type: "extension", target: "300" } }));
    const ext = await e1;
    const group = await userGroupProvider.create(await checked(userGroupProvider, { tenantId, name: "Desk team", memberIds: [ext.id] }));
    const n = await num;
    expect(n.outs.appliedRevision).toBe(n.outs.revision);
    expect(group.outs.appliedRevision).toBe(group.outs.revision);
  });

  test("applies of different tenants do not wait for each other", async () => {
    const [a, b] = await Promise.all([newTenant(), newTenant()]);
    const postsBefore = (await p.stats()).requests.byMethod.POST;
    // Each apply is held 5 s by the platform: if one tenant's apply waited for the other's, the
    // second would reach the platform only after the first had answered.
    await p.faults({ latency: 1, latencyMs: 5_000, methods: ["POST"] });
    const answered: string[] = [];
    const applying = [a, b].map((t) => applyTenant(t).then(() => void answered.push(t)));
    const end = Date.now() + 60_000;
    while ((await p.stats()).requests.byMethod.POST - postsBefore < 2) {
      if (Date.now() > end) throw new Error("the second apply never reached the platform");
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(answered).toEqual([]); // both in flight at once
    await p.faults({});
    await Promise.all(applying);
    expect(answered.sort()).toEqual([a, b].sort());
  });

  test("deletes are applied before they report success", async () => {
    const tenantId = await newTenant();
    const made = await Promise.all([0, 1, 2].map(async (i) => extensionProvider.create(await checked(extensionProvider, { tenantId, number: String(500 + i), name: `D${i}` }))));
    await Promise.all(made.map((m) => extensionProvider.delete(m.id, m.outs)));
    for (const m of made) expect((await p.raw("GET", `/v1/tenants/${tenantId}/extensions/${m.id}`)).status).toBe(404);
  });
});
