/**
 * `omnitenant platform` logs one line per request by default — method, route, status, duration and
 * request id, never a body, a query, a token or a secret — and `--quiet` turns it off. Runs the
 * compiled CLI (npm test compiles first).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { api, tenantBody } from "../../support/platform";
import { startCliPlatform } from "../../support/cli-platform";

const TOKEN = "omo_log_test_operator_token";

async function runPlatform(args: string[], work: (url: string) => Promise<void>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "omnitenant-log-"));
  const platform = await startCliPlatform(["--data", join(dir, "platform.db"), ...args], { env: { ...process.env, OMNITENANT_OPERATOR_TOKEN: TOKEN } });
  try {
    await work(platform.url);
  } finally {
    // Stopped, and every line it wrote read.
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return platform.output();
}

test("by default: one line per request with method, route, status, duration and request id; no body, query or secret", async () => {
  const ids: string[] = [];
  const out = await runPlatform([], async (url) => {
    const call = api(url, TOKEN);
    const t = await call("POST", "/v1/tenants", tenantBody({ admin: { username: "admin", password: "LOGGED-PASSWORD", firstName: "A", email: "a@example.com" } }));
    ids.push(t.headers.get("x-request-id")!);
    const missing = await call("GET", "/v1/tenants/ten_missing123?fqdn=SECRET-QUERY");
    ids.push(missing.headers.get("x-request-id")!);
  });
  const lines = out.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  const requests = lines.filter((l) => l.msg === "request");
  expect(requests).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ reqId: ids[0], method: "POST", route: "/v1/tenants", status: 201, durationMs: expect.any(Number) }),
      expect.objectContaining({ reqId: ids[1], method: "GET", route: "/v1/tenants/:tenantId", status: 404 }),
    ]),
  );
  for (const secret of ["LOGGED-PASSWORD", TOKEN, "SECRET-QUERY", "authorization"]) expect(out).not.toContain(secret);
});

test("--quiet logs no request", async () => {
  const out = await runPlatform(["--quiet"], async (url) => {
    expect((await api(url, TOKEN)("GET", "/v1/tenants")).status).toBe(200);
  });
  expect(out).toContain("listening on");
  expect(out).not.toContain('"msg":"request"');
});
