import { kinds } from "../../provider/schemas";
import type { KindHandler } from "./types";
import { merge, objectMeta, pbxMeta } from "./meta";

export const incomingNumberHandler: KindHandler = {
  spec: kinds.IncomingNumber,
  naturalKey: (c) => c.number as string,
  async create(_ctx, _tenant, input) {
    const { tenantId: _t, ...config } = input;
    return { config, secrets: {} };
  },
  async patch(_ctx, _tenant, row, patch) {
    return { config: merge(JSON.parse(row.config), patch), secrets: {} };
  },
  // Destination extensions are checked when the change is applied, not when it is saved.
  check() {},
  present(_ctx, tenant, row, config) {
    return { tenantId: tenant.id, ...config, incomingNumberId: row.id, ...objectMeta(row), ...pbxMeta(row) };
  },
};
