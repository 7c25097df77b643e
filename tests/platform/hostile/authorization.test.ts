/** Authorization comes first, replays included, and a token never grants more than it holds. */
import { api, startTestPlatform, tenantBody, type Api, type TestPlatform } from "../../support/platform";

const type = (name: string) => `https://omnitenant.dev/problems/${name}`;
const inAWeek = () => new Date(Date.now() + 7 * 86_400_000).toISOString();
const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();

let p: TestPlatform;
let tenantId: string;
let base: string;
beforeAll(async () => {
  p = await startTestPlatform();
  tenantId = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
  base = `/v1/tenants/${tenantId}/integrations`;
});
afterAll(() => p.dispose());

async function token(name: string, scopes: string[], expiresAt?: string): Promise<{ id: string; call: Api }> {
  const res = await p.api("POST", base, { name, kind: "apiToken", scopes, ...(expiresAt ? { expiresAt } : {}) });
  expect(res.status).toBe(201);
  return { id: res.body.credentialId, call: api(p.url, res.body.token) };
}

describe("an idempotent replay is authorized like a first request", () => {
  test("a token whose scopes were lowered gets 403, not the stored response with the token it minted", async () => {
    const writer = await token("replayer", ["provisioning:write", "events:read"]);
    const body = { name: "minted", kind: "apiToken", scopes: ["events:read"] };
    const first = await writer.call("POST", base, body, { "idempotency-key": "mint-1" });
    expect(first.status).toBe(201);
    expect((await p.api("PATCH", `${base}/${writer.id}`, { scopes: ["events:read"] })).status).toBe(200);
    const replay = await writer.call("POST", base, body, { "idempotency-key": "mint-1" });
    expect(replay.status).toBe(403);
    expect(replay.body.type).toBe(type("forbidden"));
    expect(JSON.stringify(replay.body)).not.toContain(first.body.token);
    expect(replay.headers.get("idempotent-replayed")).toBeNull();
  });

  test("an operator-only create replayed by a tenant token is 403 before any replay", async () => {
    const writer = await token("tenant-creator", ["*"]);
    const res = await writer.call("POST", "/v1/tenants", tenantBody(), { "idempotency-key": "t-1" });
    expect(res.status).toBe(403);
  });
});

describe("a token cannot extend its life or mint a broader credential", () => {
  test("an expiring token cannot PATCH its own credential to no expiry or a later one", async () => {
    const short = await token("short-lived", ["provisioning:write"], inAWeek());
    for (const expiresAt of [null, inAYear()]) {
      const res = await short.call("PATCH", `${base}/${short.id}`, { expiresAt });
      expect(res.status).toBe(403);
      expect(res.body.errors[0].path).toBe("expiresAt");
    }
    const stored = await p.api("GET", `${base}/${short.id}`);
    expect(Date.parse(stored.body.expiresAt)).toBeLessThan(Date.now() + 8 * 86_400_000);
  });

  test("an expiring token cannot mint a token without expiry, a later expiry, or with '*'", async () => {
    const short = await token("short-minter", ["provisioning:write"], inAWeek());
    const before = (await p.api("GET", `${base}?limit=500`)).body.items.length;
    const attempts = [
      { name: "forever", kind: "apiToken", scopes: ["provisioning:write"] },
      { name: "longer", kind: "apiToken", scopes: ["provisioning:write"], expiresAt: inAYear() },
      { name: "star", kind: "apiToken", scopes: ["*"], expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      { name: "wider", kind: "apiToken", scopes: ["provisioning:write", "transcripts:read"], expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
      { name: "client", kind: "oauth2Client", scopes: ["x"], settings: { redirectUris: ["https://a.example.com/cb"] } },
    ];
    for (const body of attempts) {
      const res = await short.call("POST", base, body);
      expect({ name: body.name, status: res.status, type: res.body.type }).toEqual({ name: body.name, status: 403, type: type("forbidden") });
    }
    expect((await p.api("GET", `${base}?limit=500`)).body.items.length).toBe(before);
    // Within its own grant it may still mint.
    const ok = await short.call("POST", base, { name: "narrower", kind: "apiToken", scopes: ["provisioning:write"], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    expect(ok.status).toBe(201);
  });

  test("a token without expiry cannot widen another token's scopes", async () => {
    const writer = await token("plain-writer", ["provisioning:write"]);
    const reader = await token("plain-reader", ["events:read"]);
    const res = await writer.call("PATCH", `${base}/${reader.id}`, { scopes: ["*"] });
    expect(res.status).toBe(403);
    expect((await p.api("GET", `${base}/${reader.id}`)).body.scopes).toEqual(["events:read"]);
  });
});
