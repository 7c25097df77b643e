/** What every handler needs: the database, its statements, the secret box and platform options. */
import type { Db } from "./db/database";
import type { Statements, TenantRow } from "./db/store";
import type { SecretBox } from "./crypto";
import { channelAccountKinds } from "../provider/schemas/integration-credential";
import type { Capabilities } from "../provider/schemas/tenant";

export interface Context {
  db: Db;
  st: Statements;
  box: SecretBox;
  sipProxy: string;
  /** log2 of scrypt's N for passwords. */
  scryptCost: number;
  managementFqdn: string;
  counters: { writes: number; applies: number };
  /** The platform's clock (ms since the epoch): token expiry, idempotency-key expiry. Tests inject one. */
  now: () => number;
}

export interface TenantConfig {
  companyName: string;
  organizationSize: string;
  country: string;
  fqdn: string;
  timeZone: string;
  language: string;
  admin: { username: string; firstName: string; email: string };
  capabilities: Capabilities;
  plan?: string;
  deletionProtection: boolean;
}

export const tenantConfig = (t: TenantRow): TenantConfig => JSON.parse(t.config) as TenantConfig;

export interface Usage {
  agents: number;
  extensions: number;
  channelAccounts: number;
}

const channelKinds = new Set<string>(channelAccountKinds);

export function usageOf(ctx: Context, tenantId: string): Usage {
  const credentials = ctx.st.objectsOfKind.all(tenantId, "IntegrationCredential");
  return {
    agents: ctx.st.countLive.get(tenantId, "Agent")!.n,
    extensions: ctx.st.countLive.get(tenantId, "Extension")!.n,
    channelAccounts: credentials.filter((c) => channelKinds.has((JSON.parse(c.config) as { kind: string }).kind)).length,
  };
}

export const isChannelAccount = (credentialKind: string) => channelKinds.has(credentialKind);

export const nowIso = () => new Date().toISOString();
