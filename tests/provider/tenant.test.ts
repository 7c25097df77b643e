import { tenantProvider } from "../../provider/tenant";
import { startProviderPlatform, tenantArgs, type TestPlatform } from "./helpers";

let p: TestPlatform;
beforeAll(async () => (p = await startProviderPlatform()));
afterAll(async () => p.close());

const checked = async (news: Record<string, any>) => {
  const r = await tenantProvider.check({}, { ...news, __identity: "proj/stack/Tenant/t" });
  expect(r.failures ?? []).toEqual([]);
  return r.inputs as Record<string, any>;
};

describe("Tenant provider over HTTP", () => {
  test("create makes one request and returns the outputs, with the admin password kept for diffs", async () => {
    const inputs = await checked(tenantArgs());
    expect(inputs.deletionProtection).toBe(false); // default applied by check
    const before = (await p.stats()).requests.total;
    const { id, outs } = await tenantProvider.create(inputs);
    expect((await p.stats()).requests.total - before).toBe(1);
    expect(id).toMatch(/^ten_/);
    expect(outs.tenantId).toBe(id);
    expect(outs.instanceNumber).toBeGreaterThanOrEqual(2);
    expect(outs.portalUrl).toEqual(expect.any(String));
    expect(outs.defaultQueueId).toMatch(/^que_/);
    expect(outs.admin.password).toBe("correct-horse-battery");
    expect(outs.usage).toBeUndefined();
    expect(outs.__identity).toBe("proj/stack/Tenant/t");
  });

  test("diff: no change, in place, replace on fqdn", async () => {
    const inputs = await checked(tenantArgs());
    const { id, outs } = await tenantProvider.create(inputs);
    expect(await tenantProvider.diff(id, outs, inputs)).toMatchObject({ changes: false, replaces: [] });
    const renamed = await tenantProvider.diff(id, outs, { ...inputs, companyName: "Acme SA" });
    expect(renamed).toMatchObject({ changes: true, replaces: [], deleteBeforeReplace: false });
    const pw = await tenantProvider.diff(id, outs, { ...inputs, admin: { ...inputs.admin, password: "another-password" } });
    expect(pw).toMatchObject({ changes: true, replaces: [] });
    const moved = await tenantProvider.diff(id, outs, { ...inputs, fqdn: "other.pbx.example.com" });
    expect(moved).toMatchObject({ changes: true, replaces: ["fqdn"], deleteBeforeReplace: false });
  });

  test("update sends a minimal PATCH with If-Match, capabilities key by key", async () => {
    const inputs = await checked(tenantArgs());
    const { id, outs } = await tenantProvider.create(inputs);
    const news = { ...inputs, companyName: "Acme SA", capabilities: { ...inputs.capabilities, maxAgents: 30 } };
    const before = await p.stats();
    const { outs: after } = await tenantProvider.update(id, outs, news);
    const stats = await p.stats();
    expect(stats.requests.byMethod.PATCH - before.requests.byMethod.PATCH).toBe(1);
    expect(stats.requests.total - before.requests.total).toBe(1);
    expect(after.companyName).toBe("Acme SA");
    expect(after.capabilities.maxAgents).toBe(30);
    expect(after.revision).toBeGreaterThan(outs.revision);
    expect(after.defaultQueueId).toBe(outs.defaultQueueId);
    expect(await tenantProvider.diff(id, after, news)).toMatchObject({ changes: false });
  });

  test("update fails clearly when the tenant changed outside Pulumi (412)", async () => {
    const inputs = await checked(tenantArgs());
    const { id, outs } = await tenantProvider.create(inputs);
    await p.raw("PATCH", `/v1/tenants/${id}`, { language: "en-US" });
    await expect(tenantProvider.update(id, outs, { ...inputs, companyName: "Other" })).rejects.toThrow(/changed outside Pulumi[\s\S]*pulumi refresh/);
  });

  test("read reports drift made outside Pulumi, in outputs and inputs; a deleted tenant reads as gone", async () => {
    const inputs = await checked(tenantArgs());
    const { id, outs } = await tenantProvider.create(inputs);
    const same = await tenantProvider.read(id, outs);
    expect(same.inputs).toEqual(expect.objectContaining({ companyName: "Acme Corp", fqdn: inputs.fqdn }));
    expect(await tenantProvider.diff(id, same.props!, inputs)).toMatchObject({ changes: false });

    await p.raw("PATCH", `/v1/tenants/${id}`, { timeZone: "America/New_York" });
    const drifted = await tenantProvider.read(id, outs);
    expect(drifted.props!.timeZone).toBe("America/New_York");
    expect(drifted.inputs!.timeZone).toBe("America/New_York");
    expect(drifted.inputs!.admin.password).toBe("correct-horse-battery"); // write-only, kept from state
    expect(await tenantProvider.diff(id, drifted.props!, inputs)).toMatchObject({ changes: true, replaces: [] });

    await tenantProvider.delete(id, drifted.props!);
    expect(await tenantProvider.read(id, outs)).toEqual({ id: "" });
  });

  test("delete: already gone is success; deletion protection says what to do", async () => {
    const inputs = await checked({ ...tenantArgs(), deletionProtection: true });
    const { id, outs } = await tenantProvider.create(inputs);
    await expect(tenantProvider.delete(id, outs)).rejects.toThrow(/deletionProtection: false/);
    const { outs: unprotected } = await tenantProvider.update(id, outs, { ...inputs, deletionProtection: false });
    await tenantProvider.delete(id, unprotected);
    await tenantProvider.delete(id, unprotected);
  });

  test("a conflict names the existing tenant and says how to adopt; adopt: true takes it over", async () => {
    const inputs = await checked(tenantArgs());
    const first = await tenantProvider.create(inputs);
    const again = { ...inputs, companyName: "Adopted Co", __identity: "proj/stack/Tenant/other" };
    await expect(tenantProvider.create(again)).rejects.toThrow(new RegExp(`${first.id}[\\s\\S]*adopt: true`));
    const adopted = await tenantProvider.create({ ...again, adopt: true });
    expect(adopted.id).toBe(first.id);
    expect(adopted.outs.companyName).toBe("Adopted Co");
  });

  test("the management instance is never adopted", async () => {
    const inputs = await checked({ ...tenantArgs(), fqdn: "management.omnitenant.local", adopt: true });
    await expect(tenantProvider.create(inputs)).rejects.toThrow(/management instance/);
  });

  test("an unreachable endpoint is named, with how to start the platform", async () => {
    const { configure } = await import("../../provider/config");
    configure({ endpoint: "http://127.0.0.1:9", maxAttempts: 2 }, "test");
    try {
      await expect(tenantProvider.read("ten_abcdef", {})).rejects.toThrow(/http:\/\/127\.0\.0\.1:9[\s\S]*npx omnitenant platform[\s\S]*omnitenant:endpoint/);
    } finally {
      configure({ endpoint: p.url, maxAttempts: 6 }, "test");
    }
  });
});
