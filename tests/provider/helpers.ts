/** A platform per test file, the provider configured to talk to it, and a way to count what reached it. */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { request as undiciRequest } from "undici";
import { startPlatform, type Platform } from "../../platform";
import { configure, resetConfiguration } from "../../provider/config";
import { closeClient } from "../../provider/client";

export interface TestPlatform {
  url: string;
  operatorToken: string;
  platform: Platform;
  dir: string;
  /** GET /v1/admin/stats. */
  stats(): Promise<{ requests: { total: number; byMethod: Record<string, number> }; writes: number; applies: number; faults: Record<string, number> }>;
  /** PUT /v1/admin/faults ({} turns them off). */
  faults(config: Record<string, unknown>): Promise<void>;
  /** A raw request, outside the provider (for out-of-band changes). */
  raw<T = any>(method: string, p: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

export async function startProviderPlatform(overrides: Record<string, number> = {}): Promise<TestPlatform> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "omni-provider-"));
  const platform = await startPlatform({ port: 0, dataFile: path.join(dir, "platform.db"), operatorToken: "omo_test_operator_token" });
  resetConfiguration();
  configure({ endpoint: platform.url, token: platform.operatorToken, retryBaseMs: 10, retryMaxMs: 200, applyWaitMs: 5_000, ...overrides }, "test");
  const raw = async (method: string, p: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await undiciRequest(platform.url + p, {
      method: method as "GET",
      headers: { authorization: `Bearer ${platform.operatorToken}`, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: text ? JSON.parse(text) : undefined, headers: res.headers as Record<string, unknown> };
  };
  return {
    url: platform.url,
    operatorToken: platform.operatorToken,
    platform,
    dir,
    stats: async () => (await raw("GET", "/v1/admin/stats")).body,
    faults: async (config) => {
      const res = await raw("PUT", "/v1/admin/faults", config);
      if (res.status !== 200) throw new Error(`faults: ${res.status} ${JSON.stringify(res.body)}`);
    },
    raw,
    close: async () => {
      await closeClient();
      await platform.close();
      resetConfiguration();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let seq = 0;
/** A unique suffix so that tests in one file never collide on natural keys. */
export const unique = (prefix: string) => `${prefix}${Date.now().toString(36)}${(seq++).toString(36)}`;

export function tenantArgs(fqdnPrefix = "t"): Record<string, any> {
  return {
    companyName: "Acme Corp",
    organizationSize: "11-50",
    country: "FR",
    fqdn: `${unique(fqdnPrefix)}.pbx.example.com`,
    timeZone: "Europe/Paris",
    language: "fr-FR",
    admin: { username: "admin", password: "correct-horse-battery", firstName: "Ada", email: "ada@example.com" },
    capabilities: { maxAgents: 20, diskQuotaGb: 10, maxWidgets: 2, maxChannelAccounts: 5, maxWorkflows: 3, maxCannedMessages: 50, maxExtensions: 50 },
  };
}
