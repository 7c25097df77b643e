import { startTestPlatform, tenantBody, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());
beforeEach(async () => {
  await p.api("PUT", "/v1/admin/faults", {});
  await p.api("DELETE", "/v1/admin/stats");
});

const stats = async () => (await p.api("GET", "/v1/admin/stats")).body;

describe("fault injection", () => {
  test("off by default: stats count requests by method, writes and applies; admin routes are not counted", async () => {
    expect((await p.api("GET", "/v1/admin/faults")).body).toMatchObject({ error500: 0, error503: 0, error429: 0, reset: 0, dropAfterCommit: 0, latency: 0 });
    const t = await p.api("POST", "/v1/tenants", tenantBody());
    await p.api("GET", `/v1/tenants/${t.body.tenantId}`);
    await p.api("PATCH", `/v1/tenants/${t.body.tenantId}`, { plan: "x" });
    await p.api("POST", `/v1/tenants/${t.body.tenantId}/changes/apply`);
    await p.api("DELETE", `/v1/tenants/${t.body.tenantId}`);
    expect(await stats()).toEqual({
      faults: { error500: 0, error503: 0, error429: 0, reset: 0, dropAfterCommit: 0, latency: 0 },
      requests: { total: 5, byMethod: { GET: 1, POST: 2, PATCH: 1, DELETE: 1 } },
      writes: 3,
      applies: 1,
    });
  });

  test.each([
    ["error500", 500, "internal-error"],
    ["error503", 503, "unavailable"],
    ["error429", 429, "rate-limited"],
  ])("%s answers %i %s before any work, and is counted", async (kind, status, name) => {
    await p.api("PUT", "/v1/admin/faults", { [kind]: 1 });
    const body = tenantBody();
    const res = await p.api("POST", "/v1/tenants", body);
    expect(res.status).toBe(status);
    expect(res.body.type).toBe(`https://omnitenant.dev/problems/${name}`);
    if (status !== 500) expect(res.headers.get("retry-after")).toBe("1");
    await p.api("PUT", "/v1/admin/faults", {});
    const s = await stats();
    expect(s.faults[kind]).toBe(1);
    expect(s.writes).toBe(0);
    // Nothing was created: the tenant's FQDN is still free.
    const lookup = await p.api("GET", `/v1/tenants?fqdn=${body.fqdn}`);
    expect({ status: lookup.status, items: lookup.body.items }).toEqual({ status: 200, items: [] });
  });

  test("reset destroys the connection before doing anything", async () => {
    await p.api("PUT", "/v1/admin/faults", { reset: 1 });
    const before = (await p.api("GET", "/v1/admin/stats")).body.writes;
    const body = tenantBody();
    await expect(p.api("POST", "/v1/tenants", body)).rejects.toThrow(/fetch failed/);
    await p.api("PUT", "/v1/admin/faults", {});
    const s = await stats();
    expect(s.faults.reset).toBe(1);
    expect(s.writes).toBe(before);
    expect((await p.api("GET", `/v1/tenants?fqdn=${body.fqdn}`)).body.items).toEqual([]);
  });

  test("latency delays by latencyMs and is counted", async () => {
    await p.api("PUT", "/v1/admin/faults", { latency: 1, latencyMs: 300 });
    const start = Date.now();
    expect((await p.api("GET", "/v1/tenants")).status).toBe(200);
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
    await p.api("PUT", "/v1/admin/faults", {});
    expect((await stats()).faults.latency).toBe(1);
  });

  test("dropAfterCommit commits the write and drops the response; GETs are never dropped", async () => {
    await p.api("PUT", "/v1/admin/faults", { dropAfterCommit: 1 });
    expect((await p.api("GET", "/v1/tenants")).status).toBe(200);
    const body = tenantBody();
    await expect(p.api("POST", "/v1/tenants", body)).rejects.toThrow(/fetch failed/);
    await p.api("PUT", "/v1/admin/faults", {});
    expect((await p.api("GET", `/v1/tenants?fqdn=${body.fqdn}`)).body.items).toHaveLength(1);
    expect((await stats()).faults.dropAfterCommit).toBe(1);
  });

  test("the methods filter limits faults to the listed methods; admin routes are never faulted", async () => {
    await p.api("PUT", "/v1/admin/faults", { error500: 1, methods: ["POST"] });
    expect((await p.api("GET", "/v1/tenants")).status).toBe(200);
    expect((await p.api("POST", "/v1/tenants", tenantBody())).status).toBe(500);
    expect((await p.api("GET", "/v1/admin/stats")).status).toBe(200);
    expect((await p.api("PUT", "/v1/admin/faults", {})).status).toBe(200);
  });

  test("a seed makes the draws reproducible", async () => {
    const run = async () => {
      await p.api("PUT", "/v1/admin/faults", { error503: 0.5, seed: 42, methods: ["GET"] });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await p.api("GET", "/v1/tenants?limit=1")).status);
      return out;
    };
    const first = await run();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await run()).toEqual(first);
  });

  test("a bad configuration is refused and the old one stays", async () => {
    const res = await p.api("PUT", "/v1/admin/faults", { error500: 2 });
    expect(res.status).toBe(422);
    expect(res.body.errors[0].path).toBe("error500");
    expect((await p.api("PUT", "/v1/admin/faults", { explode: 1 })).status).toBe(400);
    expect((await p.api("GET", "/v1/admin/faults")).body.error500).toBe(0);
  });

  test("faults can be set at start", async () => {
    const faulty = await startTestPlatform({ faults: { error503: 1 } });
    try {
      expect((await faulty.api("GET", "/v1/tenants")).status).toBe(503);
      expect((await faulty.api("GET", "/v1/admin/stats")).body.faults.error503).toBe(1);
    } finally {
      await faulty.dispose();
    }
  });
});
