/** The child kinds the platform serves under `/v1/tenants/{tenantId}/…`, by collection path. */
import { agentHandler } from "./agent";
import { credentialHandler } from "./credential";
import { extensionHandler } from "./extension";
import { incomingNumberHandler } from "./incoming-number";
import { queueHandler } from "./queue";
import type { KindHandler } from "./types";
import { userGroupHandler } from "./user-group";

export const childHandlers: KindHandler[] = [agentHandler, queueHandler, extensionHandler, userGroupHandler, incomingNumberHandler, credentialHandler];

export const handlerByKind = new Map(childHandlers.map((h) => [h.spec.kind, h]));
