import { kinds } from "../../provider/schemas";
import type { KindHandler } from "./types";
import { merge, objectMeta } from "./meta";

export const queueHandler: KindHandler = {
  spec: kinds.Queue,
  naturalKey: (c) => c.name as string,
  async create(_ctx, _tenant, input) {
    const { tenantId: _t, ...config } = input;
    return { config, secrets: {} };
  },
  async patch(_ctx, _tenant, row, patch) {
    return { config: merge(JSON.parse(row.config), patch), secrets: JSON.parse(row.secrets) };
  },
  check() {},
  usedBy(ctx, tenant, row) {
    const agents = ctx.st.objectsOfKind
      .all(tenant.id, "Agent")
      .filter((a) => (JSON.parse(a.config).queueIds as string[]).includes(row.id))
      .map((a) => a.id);
    const groups = ctx.st.objectsOfKind
      .all(tenant.id, "UserGroup")
      .filter((g) => [JSON.parse(g.config).queueId, g.applied && JSON.parse(g.applied).queueId].includes(row.id))
      .map((g) => g.id);
    return [...agents, ...groups];
  },
  present(_ctx, tenant, row, config) {
    return { tenantId: tenant.id, ...config, queueId: row.id, isDefault: tenant.default_queue_id === row.id, ...objectMeta(row) };
  },
};
