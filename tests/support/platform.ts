/** Starts a platform on a free port with a fresh data file, for tests over real HTTP. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startPlatform, type Platform, type PlatformOptions } from "../../platform";

export interface TestPlatform extends Platform {
  /** Stops the server; the data file stays, so a test can restart on it. */
  close(): Promise<void>;
  /** Stops the server and removes its temporary directory. */
  dispose(): Promise<void>;
  /** A fetch helper authenticated with the operator token. */
  api: Api;
}

export async function startTestPlatform(opts: PlatformOptions = {}): Promise<TestPlatform> {
  const dir = opts.dataFile ? null : mkdtempSync(join(tmpdir(), "omnitenant-platform-"));
  // scrypt at 2^10: still real scrypt hashes, but tests that create hundreds of agents stay fast.
  // Fault injection on by default (all faults off): tests switch faults on through /v1/admin/faults.
  const platform = await startPlatform({ port: 0, operatorToken: "omo_test_operator_token", scryptCost: 10, faults: true, ...opts, dataFile: opts.dataFile ?? join(dir!, "platform.db") });
  return {
    ...platform,
    api: api(platform.url, platform.operatorToken),
    dispose: async () => {
      await platform.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export type Api = <T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<ApiResponse<T>>;

/** A tiny JSON client: `await call("POST", "/v1/tenants", body)` → { status, headers, body }. */
export function api(url: string, token: string | null): Api {
  return async (method, path, body, headers = {}) => {
    const res = await fetch(url + path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
}

let seq = 0;
/** A valid tenant body with a unique FQDN; override any field. */
export function tenantBody(overrides: Record<string, unknown> = {}) {
  seq++;
  return {
    companyName: "Acme Corp",
    organizationSize: "11-50",
    country: "FR",
    fqdn: `acme${seq}-${process.pid}.pbx.example.com`,
    timeZone: "Europe/Paris",
    language: "fr",
    admin: { username: "admin", password: "correct-horse", firstName: "Ada", email: "ada@acme.example.com" },
    capabilities: { maxAgents: 5, diskQuotaGb: 10, maxWidgets: 1, maxChannelAccounts: 2, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 10 },
    ...overrides,
  };
}

export const agentBody = (account: string, overrides: Record<string, unknown> = {}) => ({
  account,
  password: "agent-password",
  firstName: "Ann",
  alias: "Ann",
  email: `${account}@acme.example.com`,
  ...overrides,
});
