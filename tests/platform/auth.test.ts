import Database from "better-sqlite3";
import { agentBody, api, startTestPlatform, tenantBody, type Api, type TestPlatform } from "../support/platform";

let p: TestPlatform;
let a: { id: string; agent: string; writer: Api; reader: Api };
let b: { id: string; agent: string };

async function setup(label: string) {
  const id = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
  const agent = (await p.api("POST", `/v1/tenants/${id}/agents`, agentBody(`${label}.agent`))).body.agentId;
  const w = await p.api("POST", `/v1/tenants/${id}/integrations`, { name: "writer", kind: "apiToken", scopes: ["provisioning:write"] });
  const r = await p.api("POST", `/v1/tenants/${id}/integrations`, { name: "reader", kind: "apiToken", scopes: ["events:read"] });
  return { id, agent, writer: api(p.url, w.body.token), reader: api(p.url, r.body.token) };
}

beforeAll(async () => {
  p = await startTestPlatform();
  a = await setup("a");
  b = await setup("b");
});
afterAll(() => p.dispose());

const type = (name: string) => `https://omnitenant.dev/problems/${name}`;

describe("authentication", () => {
  test.each([
    ["no header", null],
    ["a wrong token", "Bearer omo_wrong"],
    ["a non-bearer scheme", `Basic ${Buffer.from("x:y").toString("base64")}`],
  ])("%s → 401 unauthorized on every route", async (_what, header) => {
    for (const [method, path] of [["GET", "/v1/tenants"], ["POST", "/v1/tenants"], ["GET", `/v1/tenants/${a.id}/agents`], ["GET", "/v1/admin/stats"]]) {
      const res = await fetch(p.url + path, { method, headers: header ? { authorization: header } : {} });
      expect(res.status).toBe(401);
      expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
      expect(((await res.json()) as { type: string }).type).toBe(type("unauthorized"));
    }
  });

  test("an expired API token is 401", async () => {
    const clock = { now: Date.now() };
    const timed = await startTestPlatform({ now: () => clock.now });
    try {
      const id = (await timed.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
      const expiresAt = new Date(clock.now + 60 * 60_000).toISOString();
      const cred = await timed.api("POST", `/v1/tenants/${id}/integrations`, { name: "short", kind: "apiToken", scopes: ["provisioning:write"], expiresAt });
      const client = api(timed.url, cred.body.token);
      clock.now += 60 * 60_000 - 1;
      expect((await client("GET", `/v1/tenants/${id}`)).status).toBe(200);
      clock.now += 1;
      const res = await client("GET", `/v1/tenants/${id}`);
      expect({ status: res.status, type: res.body.type }).toEqual({ status: 401, type: type("unauthorized") });
      expect(res.body.detail).toContain(`expired at ${expiresAt}`);
    } finally {
      await timed.dispose();
    }
  });
});

describe("isolation matrix: tokens × routes", () => {
  type Route = [string, (t: { id: string; agent: string }) => string, unknown?];
  const childRoutes: Route[] = [
    ["GET", (t) => `/v1/tenants/${t.id}/agents`],
    ["GET", (t) => `/v1/tenants/${t.id}/agents/${t.agent}`],
    ["POST", (t) => `/v1/tenants/${t.id}/queues`, { name: "Iso" }],
    ["PATCH", (t) => `/v1/tenants/${t.id}/agents/${t.agent}`, { skills: ["x"] }],
    ["DELETE", (t) => `/v1/tenants/${t.id}/agents/${t.agent}`],
    ["GET", (t) => `/v1/tenants/${t.id}/changes`],
    ["POST", (t) => `/v1/tenants/${t.id}/changes/apply`],
    ["DELETE", (t) => `/v1/tenants/${t.id}/changes/${t.agent}`],
  ];

  test("another tenant's anything is 404 for both scopes, even for ids that exist", async () => {
    for (const client of [a.writer, a.reader]) {
      for (const [method, path, body] of [...childRoutes, ["GET", (t: { id: string }) => `/v1/tenants/${t.id}`], ["PATCH", (t: { id: string }) => `/v1/tenants/${t.id}`, { plan: "x" }], ["DELETE", (t: { id: string }) => `/v1/tenants/${t.id}`]] as Route[]) {
        const res = await client(method, path(b), body);
        expect({ method, path: path(b), status: res.status, type: res.body.type }).toEqual({ method, path: path(b), status: 404, type: type("not-found") });
      }
      // Same answer as for a tenant that does not exist: nothing to learn.
      expect((await client("GET", "/v1/tenants/ten_doesnotexist1")).status).toBe(404);
    }
    expect((await p.api("GET", `/v1/tenants/${b.id}/agents/${b.agent}`)).status).toBe(200); // b untouched
  });

  test("provisioning:write reads and writes its own tenant's objects", async () => {
    expect((await a.writer("GET", `/v1/tenants/${a.id}/agents/${a.agent}`)).status).toBe(200);
    expect((await a.writer("POST", `/v1/tenants/${a.id}/queues`, { name: "Mine" })).status).toBe(201);
    expect((await a.writer("PATCH", `/v1/tenants/${a.id}/agents/${a.agent}`, { skills: ["y"] })).status).toBe(200);
    expect((await a.writer("GET", `/v1/tenants/${a.id}/changes`)).status).toBe(200);
    expect((await a.writer("POST", `/v1/tenants/${a.id}/changes/apply`)).status).toBe(200);
    expect((await a.writer("GET", `/v1/tenants/${a.id}`)).status).toBe(200);
  });

  test("other scopes only read their own tenant object", async () => {
    expect((await a.reader("GET", `/v1/tenants/${a.id}`)).status).toBe(200);
    for (const [method, path, body] of childRoutes) {
      const res = await a.reader(method, path(a), body);
      expect({ method, status: res.status, type: res.body.type }).toEqual({ method, status: 403, type: type("forbidden") });
    }
  });

  test("tenant tokens may not use operator routes: tenants collection, tenant changes, admin", async () => {
    for (const client of [a.writer, a.reader]) {
      for (const [method, path, body] of [
        ["GET", "/v1/tenants"],
        ["POST", "/v1/tenants", tenantBody()],
        ["PATCH", `/v1/tenants/${a.id}`, { capabilities: { maxAgents: 1000 } }],
        ["DELETE", `/v1/tenants/${a.id}`],
        ["GET", "/v1/admin/stats"],
        ["DELETE", "/v1/admin/stats"],
        ["GET", "/v1/admin/faults"],
        ["PUT", "/v1/admin/faults", { error500: 1 }],
      ] as Array<[string, string, unknown?]>) {
        const res = await client(method, path, body);
        expect({ method, path, status: res.status, type: res.body.type }).toEqual({ method, path, status: 403, type: type("forbidden") });
      }
    }
    expect((await p.api("GET", `/v1/tenants/${a.id}`)).body.capabilities.maxAgents).toBe(5);
  });

  test("the management instance is read-only for the operator, invisible to tenant tokens", async () => {
    // Read its id from the data file, as an attacker who guessed it would know it.
    const db = new Database(p.dataFile, { readonly: true });
    const { id, instance_number } = db.prepare("SELECT id, instance_number FROM tenants WHERE reserved = 1").get() as { id: string; instance_number: number };
    db.close();
    expect(instance_number).toBe(1);
    const read = await p.api("GET", `/v1/tenants/${id}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ reserved: true, instanceNumber: 1 });
    expect((await a.writer("GET", `/v1/tenants/${id}`)).status).toBe(404);
    for (const [method, path, body] of [["PATCH", `/v1/tenants/${id}`, { plan: "x" }], ["DELETE", `/v1/tenants/${id}`], ["GET", `/v1/tenants/${id}/agents`], ["POST", `/v1/tenants/${id}/queues`, { name: "x" }]] as Array<[string, string, unknown?]>) {
      const res = await p.api(method, path, body);
      expect({ method, path, status: res.status, type: res.body.type }).toEqual({ method, path, status: 403, type: type("reserved-instance") });
      expect((await a.writer(method, path, body)).status).toBe(404);
    }
    const res = await p.api("POST", "/v1/tenants", tenantBody({ fqdn: "management.omnitenant.local" }));
    expect(res.body.type).toBe(type("reserved-instance"));
  });
});

describe("rate limit", () => {
  test("a token past its bucket gets 429 rate-limited with Retry-After; another token is unaffected", async () => {
    // A frozen clock: the bucket refills only when the test moves time, however slow the machine.
    const clock = { now: Date.now() };
    const limited = await startTestPlatform({ rateLimit: { requestsPerSecond: 1, burst: 3 }, now: () => clock.now });
    try {
      const id = (await limited.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
      const cred = await limited.api("POST", `/v1/tenants/${id}/integrations`, { name: "own-bucket", kind: "apiToken", scopes: ["provisioning:write"] });
      expect(cred.status).toBe(201);
      clock.now += 10_000; // the operator's bucket is full again
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      for (let i = 0; i < 5; i++) {
        const res = await limited.api("GET", "/v1/tenants");
        statuses.push(res.status);
        if (res.status === 429) {
          retryAfter = res.headers.get("retry-after");
          expect(res.body.type).toBe(type("rate-limited"));
        }
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect(retryAfter).toBe("1");
      // Another valid token has its own bucket.
      expect((await api(limited.url, cred.body.token)("GET", `/v1/tenants/${id}`)).status).toBe(200);
      expect((await limited.api("GET", "/v1/tenants")).status).toBe(429);
      clock.now += 1_000; // one second refills one request
      expect((await limited.api("GET", "/v1/tenants")).status).toBe(200);
      expect((await limited.api("GET", "/v1/tenants")).status).toBe(429);
    } finally {
      await limited.dispose();
    }
  });
});
