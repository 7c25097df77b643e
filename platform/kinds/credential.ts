import { credentialCountLimits, credentialInputs, kinds, settingsByKind, type CredentialKind } from "../../provider/schemas";
import { randomToken, sha256 } from "../crypto";
import { isChannelAccount, type Context } from "../context";
import { fromZod, Problem } from "../problems";
import type { Config, KindHandler } from "./types";
import type { Principal } from "../http/auth";
import { merge, objectMeta } from "./meta";
import { checkQuota, checkRefs } from "./rules";

/** Validates the whole credential (settings of its kind, scopes, expiry) and fills settings defaults. */
function normalize(tenantId: string, config: Config): Config {
  const { secretKeys: _k, clientId: _c, ...inputs } = config;
  const parsed = credentialInputs.safeParse({ tenantId, ...inputs });
  if (!parsed.success) throw fromZod(parsed.error);
  const settings = settingsByKind[config.kind as CredentialKind].parse(config.settings ?? {});
  if (typeof config.expiresAt === "string" && Date.parse(config.expiresAt) <= Date.now()) {
    throw new Problem("validation-failed", `expiresAt ${config.expiresAt} is in the past; give a future date-time.`, [
      { path: "expiresAt", message: "must be in the future" },
    ]);
  }
  return { ...config, settings };
}

function sealSecrets(ctx: Context, secrets: Record<string, string> | undefined, stored: Record<string, string>, config: Config) {
  if (secrets === undefined) return;
  stored.secrets = ctx.box.seal(JSON.stringify(secrets));
  config.secretKeys = Object.keys(secrets).sort();
}

/**
 * A tenant token never grants more than it holds: an apiToken it creates or changes has scopes
 * within its own, and any token or client it touches expires no later than itself. So a token
 * cannot lift its own expiry, nor mint a broader or longer-lived one. The operator grants freely.
 */
export function checkGrant(principal: Principal, config: Config): void {
  if (principal.kind !== "tenant") return;
  const kind = config.kind as string;
  if (kind === "apiToken" && !principal.scopes.includes("*")) {
    const wider = ((config.scopes as string[] | undefined) ?? []).filter((s) => !principal.scopes.includes(s));
    if (wider.length) {
      throw new Problem("forbidden", `This token holds the scopes ${principal.scopes.join(", ")} and cannot grant ${wider.join(", ")}; ask the operator for a broader token.`, [
        { path: "scopes", message: `not held by the calling token: ${wider.join(", ")}` },
      ]);
    }
  }
  if ((kind === "apiToken" || kind === "oauth2Client") && principal.expiresAt !== null) {
    const expiresAt = config.expiresAt as string | undefined;
    if (expiresAt === undefined || Date.parse(expiresAt) > Date.parse(principal.expiresAt)) {
      throw new Problem("forbidden", `This token expires at ${principal.expiresAt}; a ${kind} it creates or changes must expire no later (set expiresAt on or before ${principal.expiresAt}).`, [
        { path: "expiresAt", message: `must be on or before ${principal.expiresAt}, the calling token's expiry` },
      ]);
    }
  }
}

export const credentialHandler: KindHandler = {
  spec: kinds.IntegrationCredential,
  naturalKey: (c) => c.name as string,
  async create(ctx, tenant, input) {
    const { tenantId: _t, secrets: given, ...rest } = input;
    const config = normalize(tenant.id, { ...rest, secretKeys: [] });
    const secrets: Record<string, string> = {};
    sealSecrets(ctx, given as Record<string, string> | undefined, secrets, config);
    const reveal: Record<string, unknown> = {};
    let afterWrite: ((c: Context, id: string) => void) | undefined;
    switch (config.kind) {
      case "apiToken": {
        const token = randomToken("omt_");
        reveal.token = token;
        secrets.tokenHash = sha256(token);
        afterWrite = (c, id) =>
          c.st.insertToken.run({
            token_hash: secrets.tokenHash,
            tenant_id: tenant.id,
            credential_id: id,
            scopes: JSON.stringify(config.scopes ?? []),
            expires_at: (config.expiresAt as string | undefined) ?? null,
          });
        break;
      }
      case "oauth2Client": {
        config.clientId = randomToken("omc_", 12);
        const clientSecret = randomToken("ocs_");
        reveal.clientSecret = clientSecret;
        secrets.clientSecretHash = sha256(clientSecret);
        break;
      }
      case "webhook": {
        const signingSecret = randomToken("whsec_");
        reveal.signingSecret = signingSecret;
        // Kept encrypted, not hashed: the platform signs deliveries with it.
        secrets.signingSecret = ctx.box.seal(signingSecret);
        break;
      }
    }
    return { config, secrets, reveal, afterWrite };
  },
  async patch(ctx, tenant, row, patch) {
    const { secrets: given, ...rest } = patch;
    const stored = JSON.parse(row.secrets) as Record<string, string>;
    const config = normalize(tenant.id, merge(JSON.parse(row.config), rest));
    sealSecrets(ctx, given as Record<string, string> | undefined, stored, config);
    const afterWrite =
      config.kind === "apiToken"
        ? (c: Context, id: string) => c.st.updateTokenGrant.run(JSON.stringify(config.scopes ?? []), (config.expiresAt as string | undefined) ?? null, id)
        : undefined;
    return { config, secrets: stored, afterWrite };
  },
  checkGrant,
  check(ctx, tenant, config) {
    checkRefs(ctx, tenant, "Agent", "agentIds", config.agentIds as string[], "agent");
  },
  checkQuota(ctx, tenant, config) {
    const kind = config.kind as string;
    if (isChannelAccount(kind)) checkQuota(ctx, tenant, "channelAccounts", "maxChannelAccounts", "channel accounts");
    const max = (credentialCountLimits as Record<string, number>)[kind];
    if (max !== undefined) {
      const used = ctx.st.objectsOfKind.all(tenant.id, "IntegrationCredential").filter((c) => (JSON.parse(c.config) as { kind: string }).kind === kind).length;
      if (used >= max) {
        throw new Problem("quota-exceeded", `Tenant ${tenant.id} has ${used} ${kind} credentials, the most a tenant may hold; delete one before creating another.`, [
          { path: "kind", message: `at most ${max} ${kind} credentials per tenant` },
        ]);
      }
    }
  },
  present(_ctx, tenant, row, config) {
    return { tenantId: tenant.id, ...config, credentialId: row.id, ...objectMeta(row) };
  },
};
