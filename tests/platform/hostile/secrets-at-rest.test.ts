/**
 * Nothing at rest checks a secret faster than its stored scrypt hash, and bodies that would make
 * the idempotency fingerprint recurse without bound are refused before anything walks them.
 */
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { canonicalJson } from "../../../platform/crypto";
import { agentBody, startTestPlatform, tenantBody, type TestPlatform } from "../../support/platform";

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

let p: TestPlatform;
beforeAll(async () => {
  p = await startTestPlatform();
});
afterAll(() => p.dispose());

test("an idempotency record holds no unkeyed digest of a body carrying a password", async () => {
  const tenant = tenantBody();
  const t = await p.api("POST", "/v1/tenants", tenant, { "idempotency-key": "tenant-key" });
  expect(t.status).toBe(201);
  const agent = agentBody("hashme", { password: "guessable-password" });
  const a = await p.api("POST", `/v1/tenants/${t.body.tenantId}/agents`, agent, { "idempotency-key": "agent-key" });
  expect(a.status).toBe(201);
  // The replay still works: the fingerprint is keyed, not gone.
  const again = await p.api("POST", `/v1/tenants/${t.body.tenantId}/agents`, agent, { "idempotency-key": "agent-key" });
  expect(again.headers.get("idempotent-replayed")).toBe("true");

  const db = new Database(p.dataFile, { readonly: true });
  const rows = db.prepare("SELECT request_hash FROM idempotency_keys").all() as Array<{ request_hash: string }>;
  db.close();
  expect(rows).toHaveLength(2);
  // A copy of the database alone must not confirm a password guess with one fast digest.
  const verifiers = [canonicalJson(tenant), canonicalJson(agent), JSON.stringify(tenant), JSON.stringify(agent)].map(sha256);
  for (const r of rows) expect(verifiers).not.toContain(r.request_hash);
});

test("the data file is owner-only (0600), like its key file", () => {
  expect(statSync(p.dataFile).mode & 0o777).toBe(0o600);
  expect(statSync(`${p.dataFile}.key`).mode & 0o777).toBe(0o600);
});

describe("a body nested thousands of levels deep", () => {
  const deep = (levels: number) => `${'{"a":'.repeat(levels)}1${"}".repeat(levels)}`;

  test("is a 400 problem on every create route, with or without an Idempotency-Key, and stores nothing", async () => {
    const t = (await p.api("POST", "/v1/tenants", tenantBody())).body.tenantId;
    const routes = ["/v1/tenants", ...["agents", "queues", "extensions", "user-groups", "incoming-numbers", "integrations"].map((k) => `/v1/tenants/${t}/${k}`)];
    for (const route of routes) {
      for (const headers of [{}, { "idempotency-key": `deep-${route}` }] as Record<string, string>[]) {
        const res = await p.api("POST", route, deep(6000), headers);
        expect({ route, status: res.status, type: res.body.type }).toEqual({ route, status: 400, type: "https://omnitenant.dev/problems/invalid-request" });
        expect(res.body.requestId).toMatch(/^req_/);
      }
    }
    const db = new Database(p.dataFile, { readonly: true });
    const stored = db.prepare("SELECT COUNT(*) AS n FROM idempotency_keys WHERE idem_key LIKE 'deep-%'").get() as { n: number };
    db.close();
    expect(stored.n).toBe(0);
  });

  test("canonicalisation itself refuses depth instead of overflowing the stack", () => {
    const value = JSON.parse(deep(100_000));
    expect(() => canonicalJson(value)).toThrow(RangeError);
    expect(() => canonicalJson(value)).not.toThrow(/call stack/);
  });
});
