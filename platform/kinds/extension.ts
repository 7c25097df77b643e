import { z } from "zod";
import { kinds, refineExtension } from "../../provider/schemas";
import { hashPassword, randomToken } from "../crypto";
import { tenantConfig, type Context } from "../context";
import { fromZod } from "../problems";
import type { Config, KindHandler } from "./types";
import { merge, objectMeta, pbxMeta } from "./meta";
import { checkQuota, checkRefs } from "./rules";

/** The cross-field rules of the inputs, run again on a patched config (follow-me vs forwarding, keys). */
const crossFieldRules = z.any().superRefine((ext, ctx) => refineExtension(ext, ctx));

type Portal = { username: string; password?: string; permissions: string[] };

async function splitPortal(ctx: Context, portal: Portal | null | undefined, secrets: Record<string, string>) {
  if (portal === undefined) return undefined;
  if (portal === null) {
    delete secrets.portalPasswordHash;
    return null;
  }
  const { password, ...rest } = portal;
  secrets.portalPasswordHash = await hashPassword(password as string, ctx.scryptCost);
  return rest;
}

export const extensionHandler: KindHandler = {
  spec: kinds.Extension,
  naturalKey: (c) => c.number as string,
  async create(ctx, _tenant, input) {
    const { tenantId: _t, portal, ...config } = input;
    const secrets: Record<string, string> = {};
    const storedPortal = await splitPortal(ctx, portal as Portal | undefined, secrets);
    if (storedPortal) config.portal = storedPortal;
    // The SIP password is needed again by the PBX, so it is encrypted rather than hashed.
    const sipPassword = randomToken("", 18);
    secrets.sipPassword = ctx.box.seal(sipPassword);
    return { config, secrets, reveal: { sipPassword } };
  },
  async patch(ctx, _tenant, row, patch) {
    const secrets = JSON.parse(row.secrets) as Record<string, string>;
    const { portal, ...rest } = patch;
    const merged = merge(JSON.parse(row.config), rest);
    const storedPortal = await splitPortal(ctx, portal as Portal | null | undefined, secrets);
    if (storedPortal === null) delete merged.portal;
    else if (storedPortal) merged.portal = storedPortal;
    return { config: merged, secrets };
  },
  check(ctx, tenant, config) {
    const rules = crossFieldRules.safeParse(config);
    if (!rules.success) throw fromZod(rules.error);
    if (config.agentId) checkRefs(ctx, tenant, "Agent", "agentId", [config.agentId as string], "agent");
  },
  checkQuota(ctx, tenant) {
    checkQuota(ctx, tenant, "extensions", "maxExtensions", "extensions");
  },
  usedBy(ctx, tenant, row) {
    return ctx.st.objectsOfKind
      .all(tenant.id, "UserGroup")
      .filter((g) => g.pending_op !== "delete" && (JSON.parse(g.config).memberIds as string[]).includes(row.id))
      .map((g) => g.id);
  },
  present(ctx, tenant, row, config: Config) {
    return {
      tenantId: tenant.id,
      ...config,
      extensionId: row.id,
      sip: { username: config.number, domain: tenantConfig(tenant).fqdn, proxy: ctx.sipProxy },
      ...objectMeta(row),
      ...pbxMeta(row),
    };
  },
};
