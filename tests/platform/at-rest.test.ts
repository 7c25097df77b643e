import Database from "better-sqlite3";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { agentBody, startTestPlatform, tenantBody } from "../support/platform";

test("no secret is stored in plaintext: passwords scrypt-hashed, tokens SHA-256, secrets AES-GCM; key file 0600", async () => {
  const p = await startTestPlatform();
  try {
    const t = (await p.api("POST", "/v1/tenants", tenantBody({ admin: { username: "admin", password: "ADMIN-PLAINTEXT", firstName: "A", email: "a@example.com" } }))).body;
    const base = `/v1/tenants/${t.tenantId}`;
    await p.api("POST", `${base}/agents`, agentBody("rest", { password: "AGENT-PLAINTEXT" }));
    const ext = await p.api("POST", `${base}/extensions`, { number: "101", name: "x", portal: { username: "p101", password: "PORTAL-PLAINTEXT" } }, { "idempotency-key": "ext-key" });
    const tok = await p.api("POST", `${base}/integrations`, { name: "t", kind: "apiToken", scopes: ["events:read"] }, { "idempotency-key": "tok-key" });
    const hook = await p.api("POST", `${base}/integrations`, { name: "h", kind: "webhook", settings: { url: "https://h.example.com", events: ["chat.closed"] } });
    await p.api("POST", `${base}/integrations`, { name: "z", kind: "zoho", secrets: { apiKey: "ZOHO-PLAINTEXT" } });
    await p.close();
    const db = new Database(p.dataFile, { readonly: true });
    const dump = JSON.stringify([
      db.prepare("SELECT * FROM tenants").all(),
      db.prepare("SELECT * FROM objects").all(),
      db.prepare("SELECT * FROM api_tokens").all(),
      db.prepare("SELECT * FROM idempotency_keys").all(),
    ]);
    const hashes = db.prepare("SELECT admin_password_hash AS h FROM tenants WHERE id = ?").get(t.tenantId) as { h: string };
    db.close();
    for (const secret of ["ADMIN-PLAINTEXT", "AGENT-PLAINTEXT", "PORTAL-PLAINTEXT", "ZOHO-PLAINTEXT", ext.body.sip.password, tok.body.token, hook.body.signingSecret]) {
      expect(dump).not.toContain(secret);
    }
    expect(hashes.h).toMatch(/^scrypt\$/);
    expect(statSync(`${p.dataFile}.key`).mode & 0o777).toBe(0o600);
  } finally {
    await p.dispose();
  }
});

test("writeConnectionFile writes platform.json (0600) beside the data file and removes it on close", async () => {
  const p = await startTestPlatform({ writeConnectionFile: true });
  const file = join(dirname(p.dataFile), "platform.json");
  try {
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ url: p.url, operatorToken: p.operatorToken, pid: process.pid });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  } finally {
    await p.dispose();
  }
  expect(existsSync(file)).toBe(false);
});
