import { agentBody, api, startTestPlatform, tenantBody, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());

describe("Idempotency-Key on creates", () => {
  test("same key + same body replays the first response (secrets included) and creates nothing", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    const base = `/v1/tenants/${t}/integrations`;
    const body = { name: "tok", kind: "apiToken", scopes: ["events:read"] };
    const first = await p.api("POST", base, body, { "idempotency-key": "k-1" });
    expect(first.status).toBe(201);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    // Key order does not make it another body.
    const second = await p.api("POST", base, { scopes: ["events:read"], kind: "apiToken", name: "tok" }, { "idempotency-key": "k-1" });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.body).toEqual(first.body);
    expect(second.body.token).toBe(first.body.token);
    expect(second.headers.get("location")).toBe(first.headers.get("location"));
    expect((await p.api("GET", base)).body.items).toHaveLength(1);
  });

  test("same key + another body → 422 idempotency-key-reused", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    await p.api("POST", `/v1/tenants/${t}/agents`, agentBody("a1"), { "idempotency-key": "k-2" });
    const res = await p.api("POST", `/v1/tenants/${t}/agents`, agentBody("a2"), { "idempotency-key": "k-2" });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe("https://omnitenant.dev/problems/idempotency-key-reused");
    expect((await p.api("GET", `/v1/tenants/${t}/agents`)).body.items).toHaveLength(1);
  });

  test("a key is scoped to its path, and released when the object it created is deleted", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    const q1 = await p.api("POST", `/v1/tenants/${t}/queues`, { name: "Q" }, { "idempotency-key": "k-3" });
    const a = await p.api("POST", `/v1/tenants/${t}/agents`, agentBody("other"), { "idempotency-key": "k-3" });
    expect(a.status).toBe(201);
    expect(a.headers.get("idempotent-replayed")).toBeNull();
    await p.api("DELETE", `/v1/tenants/${t}/queues/${q1.body.queueId}`);
    const q2 = await p.api("POST", `/v1/tenants/${t}/queues`, { name: "Q" }, { "idempotency-key": "k-3" });
    expect(q2.status).toBe(201);
    expect(q2.headers.get("idempotent-replayed")).toBeNull();
    expect(q2.body.queueId).not.toBe(q1.body.queueId);
  });

  test("a key is scoped to its token: another token's request with the same key is its own", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    const token = (await p.api("POST", `/v1/tenants/${t}/integrations`, { name: "other-client", kind: "apiToken", scopes: ["provisioning:write"] })).body.token;
    const path = `/v1/tenants/${t}/queues`;
    const mine = await p.api("POST", path, { name: "Mine" }, { "idempotency-key": "k-shared" });
    // Same key, same path, another body: under one token this would be 422 idempotency-key-reused.
    const theirs = await api(p.url, token)("POST", path, { name: "Theirs" }, { "idempotency-key": "k-shared" });
    expect([mine.status, theirs.status]).toEqual([201, 201]);
    expect(theirs.headers.get("idempotent-replayed")).toBeNull();
    expect(theirs.body.queueId).not.toBe(mine.body.queueId);
    // And the same body under the other token is not a replay of the first either: it meets the name.
    expect((await api(p.url, token)("POST", path, { name: "Mine" }, { "idempotency-key": "k-shared-2" })).status).toBe(409);
  });

  test("a key expires after 24 hours: then the same request is a new one", async () => {
    const clock = { now: Date.now() };
    const timed = await startTestPlatform({ now: () => clock.now });
    try {
      const t = (await timed.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
      const path = `/v1/tenants/${t}/queues`;
      const first = await timed.api("POST", path, { name: "Q" }, { "idempotency-key": "k-exp" });
      expect(first.status).toBe(201);
      clock.now += 24 * 60 * 60_000 - 1;
      const replay = await timed.api("POST", path, { name: "Q" }, { "idempotency-key": "k-exp" });
      expect({ status: replay.status, replayed: replay.headers.get("idempotent-replayed"), id: replay.body.queueId }).toEqual({ status: 201, replayed: "true", id: first.body.queueId });
      clock.now += 2;
      // Forgotten: the request runs again and meets the queue it made a day ago.
      const late = await timed.api("POST", path, { name: "Q" }, { "idempotency-key": "k-exp" });
      expect({ status: late.status, replayed: late.headers.get("idempotent-replayed") }).toEqual({ status: 409, replayed: null });
    } finally {
      await timed.dispose();
    }
  });

  test("a tenant create is idempotent too", async () => {
    const body = tenantBody();
    const a = await p.api("POST", "/v1/tenants", body, { "idempotency-key": "t-1" });
    const b = await p.api("POST", "/v1/tenants", body, { "idempotency-key": "t-1" });
    expect(b.body.tenantId).toBe(a.body.tenantId);
    expect((await p.api("GET", `/v1/tenants?fqdn=${body.fqdn}`)).body.items).toHaveLength(1);
  });

  test("concurrent retries with one key create exactly one object", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    const results = await Promise.all(Array.from({ length: 5 }, () => p.api("POST", `/v1/tenants/${t}/agents`, agentBody("racer"), { "idempotency-key": "race" })));
    expect(new Set(results.map((r) => r.body.agentId)).size).toBe(1);
    expect((await p.api("GET", `/v1/tenants/${t}/agents`)).body.items).toHaveLength(1);
  });
});

describe("commit, then drop the response", () => {
  test("the client retries with the same key and gets the object it never heard about: exactly one exists", async () => {
    const dropping = await startTestPlatform({ faults: { dropAfterCommit: 1, methods: ["POST"] } });
    try {
      const admin = dropping.api;
      await admin("PUT", "/v1/admin/faults", {});
      const t = (await admin("POST", "/v1/tenants", tenantBody())).body.tenantId;
      await admin("PUT", "/v1/admin/faults", { dropAfterCommit: 1, methods: ["POST"] });
      const body = { number: "101", name: "Lost" };
      await expect(admin("POST", `/v1/tenants/${t}/extensions`, body, { "idempotency-key": "drop-1" })).rejects.toThrow(/fetch failed/);
      await admin("PUT", "/v1/admin/faults", {});
      const retry = await admin("POST", `/v1/tenants/${t}/extensions`, body, { "idempotency-key": "drop-1" });
      expect(retry.status).toBe(201);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(retry.body.sip.password).toBeTruthy(); // the secret of the lost response is not lost
      const list = await admin("GET", `/v1/tenants/${t}/extensions`);
      expect(list.body.items.map((e: { extensionId: string }) => e.extensionId)).toEqual([retry.body.extensionId]);
      const stats = await admin("GET", "/v1/admin/stats");
      expect(stats.body.faults.dropAfterCommit).toBe(1);
    } finally {
      await dropping.dispose();
    }
  });

  test("without a key, the retry of a dropped create meets the conflict (the write was committed)", async () => {
    const dropping = await startTestPlatform();
    try {
      const t = (await dropping.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
      await dropping.api("PUT", "/v1/admin/faults", { dropAfterCommit: 1 });
      await expect(dropping.api("POST", `/v1/tenants/${t}/queues`, { name: "Q" })).rejects.toThrow(/fetch failed/);
      await dropping.api("PUT", "/v1/admin/faults", {});
      expect((await dropping.api("POST", `/v1/tenants/${t}/queues`, { name: "Q" })).status).toBe(409);
    } finally {
      await dropping.dispose();
    }
  });
});
