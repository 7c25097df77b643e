import { agentBody, startTestPlatform, tenantBody, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());

const problem = (name: string) => `https://omnitenant.dev/problems/${name}`;

describe("tenants", () => {
  test("create returns 201, Location, ETag, instance ≥ 2, portal URL, default queue and no admin password", async () => {
    const body = tenantBody();
    const res = await p.api("POST", "/v1/tenants", body);
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/v1/tenants/${res.body.tenantId}`);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    expect(res.body.instanceNumber).toBeGreaterThanOrEqual(2);
    expect(res.body.portalUrl).toBe(`https://${body.fqdn}/portal`);
    expect(res.body.admin).toEqual({ username: "admin", firstName: "Ada", email: "ada@acme.example.com" });
    expect(JSON.stringify(res.body)).not.toContain("correct-horse");
    expect(res.body.usage).toEqual({ agents: 0, extensions: 0, channelAccounts: 0 });
    const queue = await p.api("GET", `/v1/tenants/${res.body.tenantId}/queues/${res.body.defaultQueueId}`);
    expect(queue.body).toMatchObject({ name: "Default", isDefault: true });
  });

  test("instance numbers increase and are never reused", async () => {
    const a = await p.api("POST", "/v1/tenants", tenantBody());
    await p.api("DELETE", `/v1/tenants/${a.body.tenantId}`);
    const b = await p.api("POST", "/v1/tenants", tenantBody());
    expect(b.body.instanceNumber).toBe(a.body.instanceNumber + 1);
  });

  test("the management instance is listed read-only and marked reserved, and customers never get instance 1", async () => {
    const list = await p.api("GET", "/v1/tenants?fqdn=management.omnitenant.local");
    expect(list.body.items).toEqual([expect.objectContaining({ instanceNumber: 1, reserved: true })]);
    const all = await p.api("GET", "/v1/tenants?limit=500");
    expect(all.body.items.filter((t: { reserved: boolean }) => !t.reserved).every((t: { instanceNumber: number }) => t.instanceNumber >= 2)).toBe(true);
    expect(all.body.items.filter((t: { instanceNumber: number }) => t.instanceNumber === 1)).toHaveLength(1);
    const res = await p.api("POST", "/v1/tenants", tenantBody({ fqdn: "management.omnitenant.local" }));
    expect(res.status).toBe(403);
    expect(res.body.type).toBe(problem("reserved-instance"));
  });

  test("PATCH keeps untouched fields (no schema defaults applied) and bumps the revision", async () => {
    const t = await p.api("POST", "/v1/tenants", tenantBody({ deletionProtection: true }));
    const res = await p.api("PATCH", `/v1/tenants/${t.body.tenantId}`, { companyName: "Acme 2", capabilities: { maxAgents: 7 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ companyName: "Acme 2", deletionProtection: true, revision: 2 });
    expect(res.body.capabilities).toMatchObject({ maxAgents: 7, maxExtensions: 10 });
    expect(res.headers.get("etag")).toBe('"2"');
  });

  test("PATCH with plan: null clears the plan", async () => {
    const t = await p.api("POST", "/v1/tenants", { ...tenantBody(), plan: "growth" });
    expect(t.body.plan).toBe("growth");
    const res = await p.api("PATCH", `/v1/tenants/${t.body.tenantId}`, { plan: null });
    expect(res.status).toBe(200);
    expect(res.body).not.toHaveProperty("plan");
    expect((await p.api("GET", `/v1/tenants/${t.body.tenantId}`)).body).not.toHaveProperty("plan");
  });

  test("an FQDN change is not a PATCH (unknown field → 400)", async () => {
    const t = await p.api("POST", "/v1/tenants", tenantBody());
    const res = await p.api("PATCH", `/v1/tenants/${t.body.tenantId}`, { fqdn: "other.example.com" });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "fqdn" })]);
  });
});

describe("children", () => {
  let tenantId: string;
  beforeAll(async () => {
    tenantId = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
  });

  test("agent CRUD: default queue, roles default, password never returned, 204 delete, then 404", async () => {
    const created = await p.api("POST", `/v1/tenants/${tenantId}/agents`, agentBody("crud.agent"));
    expect(created.status).toBe(201);
    const t = await p.api("GET", `/v1/tenants/${tenantId}`);
    expect(created.body).toMatchObject({ queueIds: [t.body.defaultQueueId], roles: ["agent"], tenantId });
    expect(JSON.stringify(created.body)).not.toContain("agent-password");
    expect(t.body.usage.agents).toBe(1);
    const path = `/v1/tenants/${tenantId}/agents/${created.body.agentId}`;
    const patched = await p.api("PATCH", path, { skills: ["Spanish"] });
    expect(patched.body).toMatchObject({ skills: ["Spanish"], roles: ["agent"], revision: 2 });
    expect((await p.api("DELETE", path)).status).toBe(204);
    const gone = await p.api("GET", path);
    expect(gone.status).toBe(404);
    expect(gone.body.type).toBe(problem("not-found"));
  });

  test("lookup by natural key: ?account=, ?name=, ?number=", async () => {
    const a = await p.api("POST", `/v1/tenants/${tenantId}/agents`, agentBody("lookup.me"));
    expect((await p.api("GET", `/v1/tenants/${tenantId}/agents?account=lookup.me`)).body.items.map((x: { agentId: string }) => x.agentId)).toEqual([a.body.agentId]);
    expect((await p.api("GET", `/v1/tenants/${tenantId}/queues?name=Default`)).body.items).toHaveLength(1);
    expect((await p.api("GET", `/v1/tenants/${tenantId}/agents?account=nobody`)).body).toEqual({ items: [], nextCursor: null });
  });

  test("extension: SIP identifiers generated, password only in the create response", async () => {
    const created = await p.api("POST", `/v1/tenants/${tenantId}/extensions`, { number: "301", name: "Desk", portal: { username: "desk301", password: "portal-pass-1" } });
    expect(created.status).toBe(201);
    const t = await p.api("GET", `/v1/tenants/${tenantId}`);
    expect(created.body.sip).toMatchObject({ username: "301", domain: t.body.fqdn, proxy: "sip.omnitenant.local" });
    expect(created.body.sip.password).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(created.body.portal).toEqual({ username: "desk301", permissions: ["userPortalAccess"] });
    const other = await p.api("POST", `/v1/tenants/${tenantId}/extensions`, { number: "302", name: "Desk 2" });
    expect(other.body.sip.password).not.toBe(created.body.sip.password);
    const read = await p.api("GET", `/v1/tenants/${tenantId}/extensions/${created.body.extensionId}`);
    expect(read.body.sip.password).toBeUndefined();
    expect(JSON.stringify(read.body)).not.toContain("portal-pass-1");
  });

  test("credentials: token, client secret, signing secret generated once; secrets never returned", async () => {
    const base = `/v1/tenants/${tenantId}/integrations`;
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const token = await p.api("POST", base, { name: "ci", kind: "apiToken", scopes: ["events:read"], expiresAt: future });
    expect(token.status).toBe(201);
    expect(token.body.token).toMatch(/^omt_/);
    const oauth = await p.api("POST", base, { name: "app", kind: "oauth2Client", scopes: ["read"], settings: { redirectUris: ["https://app.example.com/cb"] } });
    expect(oauth.body.clientId).toBeTruthy();
    expect(oauth.body.clientSecret).toBeTruthy();
    const hook = await p.api("POST", base, { name: "hook", kind: "webhook", settings: { url: "https://hooks.example.com/x", events: ["chat.closed"] } });
    expect(hook.body.signingSecret).toMatch(/^whsec_/);
    const crm = await p.api("POST", base, { name: "zoho", kind: "zoho", secrets: { clientSecret: "zoho-very-secret" } });
    expect(crm.body).toMatchObject({ secretKeys: ["clientSecret"], settings: { syncContacts: true } });
    expect(JSON.stringify(crm.body)).not.toContain("zoho-very-secret");
    for (const c of [token, oauth, hook]) {
      const read = await p.api("GET", `${base}/${c.body.credentialId}`);
      expect(read.body.token).toBeUndefined();
      expect(read.body.clientSecret).toBeUndefined();
      expect(read.body.signingSecret).toBeUndefined();
    }
  });

  test("an id of another tenant, or an unknown tenant, is 404", async () => {
    const other = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    const a = await p.api("POST", `/v1/tenants/${tenantId}/agents`, agentBody("mine"));
    expect((await p.api("GET", `/v1/tenants/${other}/agents/${a.body.agentId}`)).status).toBe(404);
    expect((await p.api("GET", `/v1/tenants/ten_doesnotexist1/agents`)).status).toBe(404);
  });
});

describe("pagination", () => {
  test("cursor pages visit every object once, in order; limits are checked", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody({ capabilities: { ...tenantBody().capabilities, maxAgents: 20 } }))).body.tenantId;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await p.api("POST", `/v1/tenants/${t}/agents`, agentBody(`page${i}`))).body.agentId);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { items: Array<{ agentId: string }>; nextCursor: string | null } } = await p.api("GET", `/v1/tenants/${t}/agents?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.body.items.map((a) => a.agentId));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);
    expect((await p.api("GET", `/v1/tenants/${t}/agents`)).body.items).toHaveLength(7);
    for (const bad of ["limit=0", "limit=501", "cursor=zzz", "unknown=1"]) {
      const res = await p.api("GET", `/v1/tenants/${t}/agents?${bad}`);
      expect(res.status).toBe(400);
      expect(res.body.type).toBe(problem("invalid-request"));
    }
  });

  test("tenant list pages and filters by fqdn", async () => {
    const body = tenantBody();
    const t = await p.api("POST", "/v1/tenants", body);
    const res = await p.api("GET", `/v1/tenants?fqdn=${body.fqdn}`);
    expect(res.body.items.map((x: { tenantId: string }) => x.tenantId)).toEqual([t.body.tenantId]);
    const first = await p.api("GET", "/v1/tenants?limit=1");
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await p.api("GET", `/v1/tenants?limit=1&cursor=${first.body.nextCursor}`);
    expect(second.body.items[0].tenantId).not.toBe(first.body.items[0].tenantId);
  });
});

describe("ETag and If-Match", () => {
  test("a stale If-Match is 412 on PATCH and DELETE; the current one succeeds", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    const q = await p.api("POST", `/v1/tenants/${t}/queues`, { name: "Billing" });
    const path = `/v1/tenants/${t}/queues/${q.body.queueId}`;
    expect(q.headers.get("etag")).toBe('"1"');
    const ok = await p.api("PATCH", path, { description: "v2" }, { "if-match": '"1"' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("etag")).toBe('"2"');
    const stale = await p.api("PATCH", path, { description: "v3" }, { "if-match": '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body.type).toBe(problem("precondition-failed"));
    expect((await p.api("GET", path)).body.description).toBe("v2");
    expect((await p.api("DELETE", path, undefined, { "if-match": '"1"' })).status).toBe(412);
    expect((await p.api("DELETE", path, undefined, { "if-match": '"2"' })).status).toBe(204);
  });

  test("tenant PATCH honours If-Match too", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    expect((await p.api("PATCH", `/v1/tenants/${t}`, { plan: "gold" }, { "if-match": '"9"' })).status).toBe(412);
    expect((await p.api("PATCH", `/v1/tenants/${t}`, { plan: "gold" }, { "if-match": '"1"' })).status).toBe(200);
  });
});

describe("persistence", () => {
  test("objects, secrets-derived tokens and instance numbers survive a restart on the same data file", async () => {
    const first = await startTestPlatform();
    const t = await first.api("POST", "/v1/tenants", tenantBody());
    const a = await first.api("POST", `/v1/tenants/${t.body.tenantId}/agents`, agentBody("persisted"));
    const tok = await first.api("POST", `/v1/tenants/${t.body.tenantId}/integrations`, { name: "tok", kind: "apiToken", scopes: ["provisioning:write"] });
    await first.close();
    const second = await startTestPlatform({ dataFile: first.dataFile });
    try {
      expect((await second.api("GET", `/v1/tenants/${t.body.tenantId}/agents/${a.body.agentId}`)).body).toEqual(a.body);
      const { api } = await import("../support/platform");
      const asTenant = api(second.url, tok.body.token);
      expect((await asTenant("GET", `/v1/tenants/${t.body.tenantId}/agents`)).status).toBe(200);
      const next = await second.api("POST", "/v1/tenants", tenantBody());
      expect(next.body.instanceNumber).toBe(t.body.instanceNumber + 1);
    } finally {
      await second.close();
      await first.dispose();
    }
  });
});
