import { agentBody, startTestPlatform, tenantBody, type TestPlatform } from "../support/platform";

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());

const problem = (name: string) => `https://omnitenant.dev/problems/${name}`;
const newTenant = async (overrides: Record<string, unknown> = {}) => (await p.api("POST", "/v1/tenants", tenantBody(overrides))).body;
const caps = (c: Record<string, number>) => ({ capabilities: { ...tenantBody().capabilities, ...c } });

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number, name: string) {
  expect({ status: res.status, type: res.body?.type }).toEqual({ status, type: problem(name) });
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  expect(res.body.title).toBeTruthy();
  expect(res.body.detail).toBeTruthy();
  expect(res.body.requestId).toBe(res.headers.get("x-request-id"));
  expect(Array.isArray(res.body.errors)).toBe(true);
}

describe("unique natural keys → 409 conflict naming the existing object", () => {
  test("FQDN across the platform", async () => {
    const body = tenantBody();
    const first = await p.api("POST", "/v1/tenants", body);
    const res = await p.api("POST", "/v1/tenants", { ...tenantBody(), fqdn: body.fqdn });
    expectProblem(res, 409, "conflict");
    expect(res.body.detail).toContain(first.body.tenantId);
  });

  test.each([
    ["agents", agentBody("dup.agent"), "agentId"],
    ["queues", { name: "Dup" }, "queueId"],
    ["extensions", { number: "555", name: "x" }, "extensionId"],
    ["user-groups", { name: "Dup" }, "userGroupId"],
    ["incoming-numbers", { number: "+33123456789" }, "incomingNumberId"],
    ["integrations", { name: "dup", kind: "iris" }, "credentialId"],
  ])("%s per tenant, but not across tenants", async (path, body, idField) => {
    const t = await newTenant();
    const first = await p.api("POST", `/v1/tenants/${t.tenantId}/${path}`, body);
    expect(first.status).toBe(201);
    const res = await p.api("POST", `/v1/tenants/${t.tenantId}/${path}`, body);
    expectProblem(res, 409, "conflict");
    expect(res.body.detail).toContain(first.body[idField]);
    const other = await newTenant();
    expect((await p.api("POST", `/v1/tenants/${other.tenantId}/${path}`, body)).status).toBe(201);
  });

  test("renaming onto an existing name is a conflict too", async () => {
    const t = await newTenant();
    await p.api("POST", `/v1/tenants/${t.tenantId}/queues`, { name: "Sales" });
    const q = await p.api("POST", `/v1/tenants/${t.tenantId}/queues`, { name: "Support" });
    expectProblem(await p.api("PATCH", `/v1/tenants/${t.tenantId}/queues/${q.body.queueId}`, { name: "Sales" }), 409, "conflict");
  });
});

describe("capability quotas → 422 quota-exceeded", () => {
  test("maxAgents, maxExtensions, maxChannelAccounts refuse the create past the limit", async () => {
    const t = await newTenant(caps({ maxAgents: 1, maxExtensions: 1, maxChannelAccounts: 1 }));
    const base = `/v1/tenants/${t.tenantId}`;
    expect((await p.api("POST", `${base}/agents`, agentBody("q1"))).status).toBe(201);
    expectProblem(await p.api("POST", `${base}/agents`, agentBody("q2")), 422, "quota-exceeded");
    expect((await p.api("POST", `${base}/extensions`, { number: "201", name: "a" })).status).toBe(201);
    const ext = await p.api("POST", `${base}/extensions`, { number: "202", name: "b" });
    expectProblem(ext, 422, "quota-exceeded");
    expect(ext.body.errors[0].path).toBe("capabilities.maxExtensions");
    expect((await p.api("POST", `${base}/integrations`, { name: "zoho", kind: "zoho" })).status).toBe(201);
    expectProblem(await p.api("POST", `${base}/integrations`, { name: "hub", kind: "hubspot" }), 422, "quota-exceeded");
    // A webhook is not a channel account: not counted.
    expect((await p.api("POST", `${base}/integrations`, { name: "hook", kind: "webhook", settings: { url: "https://h.example.com", events: ["chat.closed"] } })).status).toBe(201);
    const usage = (await p.api("GET", base)).body.usage;
    expect(usage).toEqual({ agents: 1, extensions: 1, channelAccounts: 1 });
  });

  test("lowering a capability below usage is refused; to usage is fine", async () => {
    const t = await newTenant(caps({ maxAgents: 3 }));
    await p.api("POST", `/v1/tenants/${t.tenantId}/agents`, agentBody("l1"));
    await p.api("POST", `/v1/tenants/${t.tenantId}/agents`, agentBody("l2"));
    const res = await p.api("PATCH", `/v1/tenants/${t.tenantId}`, { capabilities: { maxAgents: 1 } });
    expectProblem(res, 422, "quota-exceeded");
    expect(res.body.errors).toEqual([expect.objectContaining({ path: "capabilities.maxAgents" })]);
    expect((await p.api("GET", `/v1/tenants/${t.tenantId}`)).body.capabilities.maxAgents).toBe(3);
    expect((await p.api("PATCH", `/v1/tenants/${t.tenantId}`, { capabilities: { maxAgents: 2 } })).status).toBe(200);
  });
});

describe("references within the tenant → 422 validation-failed with the path", () => {
  test("agent.queueIds, credential.agentIds, extension.agentId, userGroup.memberIds and queueId", async () => {
    const t = await newTenant();
    const other = await newTenant();
    const base = `/v1/tenants/${t.tenantId}`;
    const foreignQueue = other.defaultQueueId;
    let res = await p.api("POST", `${base}/agents`, agentBody("refs", { queueIds: [t.defaultQueueId, foreignQueue] }));
    expectProblem(res, 422, "validation-failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["queueIds.1"]);
    res = await p.api("POST", `${base}/integrations`, { name: "x", kind: "iris", agentIds: ["agt_missing000"] });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["agentIds.0"]);
    res = await p.api("POST", `${base}/extensions`, { number: "401", name: "x", agentId: "agt_missing000" });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["agentId"]);
    res = await p.api("POST", `${base}/user-groups`, { name: "g", memberIds: ["ext_missing000"], queueId: "que_missing000" });
    expectProblem(res, 422, "validation-failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["memberIds.0"]);
    res = await p.api("POST", `${base}/user-groups`, { name: "g", queueId: foreignQueue });
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(["queueId"]);
    res = await p.api("POST", `${base}/agents`, agentBody("refs2"));
    expect((await p.api("PATCH", `${base}/agents/${res.body.agentId}`, { queueIds: [foreignQueue] })).status).toBe(422);
  });
});

describe("field rules → 422 validation-failed with paths", () => {
  let base: string;
  beforeAll(async () => {
    base = `/v1/tenants/${(await newTenant()).tenantId}`;
  });

  test.each([
    ["follow-me with forwarding", "extensions", { number: "501", name: "x", followMe: { destinations: [{ target: "+33123456789" }] }, forwarding: { onBusy: { destinations: [{ target: "+33123456780" }] } } }, "followMe"],
    ["a BLF key without target", "extensions", { number: "502", name: "x", keys: [{ position: 1, action: "blf" }] }, "keys.0.target"],
    ["a switch key with a target", "extensions", { number: "503", name: "x", keys: [{ position: 2, action: "switch", target: "101" }] }, "keys.0.target"],
    ["a key position 21", "extensions", { number: "504", name: "x", keys: [{ position: 21, action: "switch" }] }, "keys.0.position"],
    ["a portal password < 8", "extensions", { number: "505", name: "x", portal: { username: "u505", password: "short" } }, "portal.password"],
    ["an unknown permission", "extensions", { number: "506", name: "x", portal: { username: "u506", password: "longenough", permissions: ["root"] } }, "portal.permissions.0"],
    ["a non-E.164 GSM number", "extensions", { number: "507", name: "x", gsmNumber: "0612345678" }, "gsmNumber"],
    ["a non-E.164 incoming number", "incoming-numbers", { number: "12345" }, "number"],
    ["an unknown role", "agents", agentBody("badrole", { roles: ["root"] }), "roles.0"],
    ["an unknown destination type", "incoming-numbers", { number: "+33123456000", destination: { type: "fax" } }, "destination.type"],
    ["an unknown API-token scope", "integrations", { name: "t", kind: "apiToken", scopes: ["everything"] }, "scopes.0"],
    ["a past expiresAt", "integrations", { name: "t", kind: "apiToken", scopes: ["events:read"], expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt"],
  ])("%s", async (_what, path, body, errorPath) => {
    const res = await p.api("POST", `${base}/${path}`, body);
    expectProblem(res, 422, "validation-failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(errorPath);
  });

  test.each([
    ["an unknown country", { country: "XX" }, "country"],
    ["an unknown time zone", { timeZone: "Mars/Olympus" }, "timeZone"],
    ["a bad FQDN", { fqdn: "Not A Domain" }, "fqdn"],
  ])("tenant: %s", async (_what, override, errorPath) => {
    const res = await p.api("POST", "/v1/tenants", tenantBody(override));
    expectProblem(res, 422, "validation-failed");
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(errorPath);
  });

  test("a PATCH that would combine follow-me and forwarding is refused on the merged result", async () => {
    const ext = await p.api("POST", `${base}/extensions`, { number: "510", name: "x", followMe: { destinations: [{ target: "+33123456789" }] } });
    const res = await p.api("PATCH", `${base}/extensions/${ext.body.extensionId}`, { forwarding: { onBusy: { destinations: [{ target: "+33123456780" }] } } });
    expectProblem(res, 422, "validation-failed");
    expect((await p.api("PATCH", `${base}/extensions/${ext.body.extensionId}`, { followMe: null, forwarding: { onBusy: { destinations: [{ target: "+33123456780" }] } } })).status).toBe(200);
  });
});

describe("malformed requests → 400 invalid-request; nothing written; server keeps serving", () => {
  test("bad JSON, wrong content type (415), unknown field, wrong type, non-object body", async () => {
    const t = await newTenant();
    const base = `/v1/tenants/${t.tenantId}/agents`;
    const raw = (body: string, type = "application/json") =>
      fetch(p.url + base, { method: "POST", headers: { authorization: `Bearer ${p.operatorToken}`, "content-type": type }, body }).then(async (r) => ({ status: r.status, headers: r.headers, body: await r.json() }));
    expectProblem(await raw("{not json"), 400, "invalid-request");
    expectProblem(await raw("account=x", "application/x-www-form-urlencoded"), 415, "unsupported-media-type");
    expectProblem(await raw("[1,2]"), 400, "invalid-request");
    expectProblem(await raw('{"__proto__": {"x": 1}}'), 400, "invalid-request");
    const unknown = await p.api("POST", base, agentBody("u1", { colour: "blue" }));
    expectProblem(unknown, 400, "invalid-request");
    expect(unknown.body.errors).toEqual([expect.objectContaining({ path: "colour" })]);
    const wrongType = await p.api("POST", base, agentBody("u2", { roles: "agent" }));
    expectProblem(wrongType, 400, "invalid-request");
    expect(wrongType.body.errors[0].path).toBe("roles");
    expect((await p.api("GET", base)).body.items).toEqual([]);
    expect((await p.api("POST", base, agentBody("u3"))).status).toBe(201);
  });

  test("a tenantId in the body that differs from the path is refused", async () => {
    const t = await newTenant();
    const other = await newTenant();
    expectProblem(await p.api("POST", `/v1/tenants/${t.tenantId}/queues`, { tenantId: other.tenantId, name: "x" }), 422, "validation-failed");
    expect((await p.api("POST", `/v1/tenants/${t.tenantId}/queues`, { tenantId: t.tenantId, name: "x" })).status).toBe(201);
  });

  test("unknown routes are problem documents", async () => {
    expectProblem(await p.api("GET", "/v1/nothing"), 404, "not-found");
  });
});

describe("deletion rules", () => {
  test("a queue used by agents or groups is in-use, naming them; the default queue is never deleted", async () => {
    const t = await newTenant();
    const base = `/v1/tenants/${t.tenantId}`;
    const q = await p.api("POST", `${base}/queues`, { name: "Used" });
    const a = await p.api("POST", `${base}/agents`, agentBody("user", { queueIds: [q.body.queueId] }));
    const g = await p.api("POST", `${base}/user-groups`, { name: "G", queueId: q.body.queueId });
    const res = await p.api("DELETE", `${base}/queues/${q.body.queueId}`);
    expectProblem(res, 409, "in-use");
    expect(res.body.detail).toContain(a.body.agentId);
    expect(res.body.detail).toContain(g.body.userGroupId);
    expectProblem(await p.api("DELETE", `${base}/queues/${t.defaultQueueId}`), 409, "in-use");
    await p.api("DELETE", `${base}/agents/${a.body.agentId}`);
    await p.api("DELETE", `${base}/user-groups/${g.body.userGroupId}`); // a never-applied create is discarded at once
    expect((await p.api("DELETE", `${base}/queues/${q.body.queueId}`)).status).toBe(204);
  });

  test("deletion protection → 409 deletion-protected; off → the tenant and all its objects go", async () => {
    const t = await newTenant({ deletionProtection: true });
    const base = `/v1/tenants/${t.tenantId}`;
    const a = await p.api("POST", `${base}/agents`, agentBody("cascade"));
    const tok = await p.api("POST", `${base}/integrations`, { name: "tok", kind: "apiToken", scopes: ["provisioning:write"] });
    expectProblem(await p.api("DELETE", base), 409, "deletion-protected");
    await p.api("PATCH", base, { deletionProtection: false });
    expect((await p.api("DELETE", base)).status).toBe(204);
    expect((await p.api("GET", base)).status).toBe(404);
    expect((await p.api("GET", `${base}/agents/${a.body.agentId}`)).status).toBe(404);
    const { api } = await import("../support/platform");
    expect((await api(p.url, tok.body.token)("GET", base)).status).toBe(401); // its tokens died with it
  });
});
