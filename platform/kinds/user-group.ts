import { kinds } from "../../provider/schemas";
import type { KindHandler } from "./types";
import { merge, objectMeta, pbxMeta } from "./meta";
import { checkRefs } from "./rules";

export const userGroupHandler: KindHandler = {
  spec: kinds.UserGroup,
  naturalKey: (c) => c.name as string,
  async create(_ctx, _tenant, input) {
    const { tenantId: _t, ...config } = input;
    return { config, secrets: {} };
  },
  async patch(_ctx, _tenant, row, patch) {
    return { config: merge(JSON.parse(row.config), patch), secrets: {} };
  },
  check(ctx, tenant, config) {
    checkRefs(ctx, tenant, "Extension", "memberIds", config.memberIds as string[], "extension");
    if (config.queueId) checkRefs(ctx, tenant, "Queue", "queueId", [config.queueId as string], "queue");
  },
  present(_ctx, tenant, row, config) {
    return { tenantId: tenant.id, ...config, userGroupId: row.id, ...objectMeta(row), ...pbxMeta(row) };
  },
};
