import { kinds } from "../../provider/schemas";
import { hashPassword } from "../crypto";
import type { KindHandler } from "./types";
import { merge, objectMeta } from "./meta";
import { checkQuota, checkRefs } from "./rules";

export const agentHandler: KindHandler = {
  spec: kinds.Agent,
  naturalKey: (c) => c.account as string,
  async create(ctx, tenant, input) {
    const { tenantId: _t, password, ...config } = input;
    // An agent always serves at least one queue: the tenant's default one when none is named.
    if (!config.queueIds) config.queueIds = [tenant.default_queue_id];
    return { config, secrets: { passwordHash: await hashPassword(password as string, ctx.scryptCost) } };
  },
  async patch(ctx, _tenant, row, patch) {
    const { password, ...rest } = patch;
    const secrets = JSON.parse(row.secrets) as Record<string, string>;
    if (typeof password === "string") secrets.passwordHash = await hashPassword(password, ctx.scryptCost);
    return { config: merge(JSON.parse(row.config), rest), secrets };
  },
  check(ctx, tenant, config) {
    checkRefs(ctx, tenant, "Queue", "queueIds", config.queueIds as string[], "queue");
  },
  checkQuota(ctx, tenant) {
    checkQuota(ctx, tenant, "agents", "maxAgents", "agents");
  },
  usedBy(ctx, tenant, row) {
    const credentials = ctx.st.objectsOfKind
      .all(tenant.id, "IntegrationCredential")
      .filter((c) => (JSON.parse(c.config).agentIds as string[]).includes(row.id));
    const extensions = ctx.st.objectsOfKind.all(tenant.id, "Extension").filter((e) => JSON.parse(e.config).agentId === row.id);
    return [...credentials, ...extensions].map((o) => o.id);
  },
  present(_ctx, tenant, row, config) {
    return { tenantId: tenant.id, ...config, agentId: row.id, ...objectMeta(row) };
  },
};
