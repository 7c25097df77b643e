/**
 * Bearer tokens. The operator token manages everything; an apiToken credential's token sees its own
 * tenant only: with `provisioning:write` (or `*`) it reads and writes that tenant's objects, with any
 * other scope it may only read the tenant object. Another tenant is always 404, never 403, so that a
 * token cannot learn what exists outside its tenant.
 */
import type { FastifyRequest } from "fastify";
import { createHash, timingSafeEqual } from "node:crypto";
import type { Context } from "../context";
import type { TenantRow } from "../db/store";
import { notFound, Problem } from "../problems";

export type Principal =
  | { kind: "operator"; tokenHash: string }
  | { kind: "tenant"; tokenHash: string; tenantId: string; credentialId: string; canWrite: boolean; scopes: string[]; expiresAt: string | null };

declare module "fastify" {
  interface FastifyRequest {
    principal: Principal;
  }
}

const unauthorized = (detail: string) => new Problem("unauthorized", detail, [], { "www-authenticate": 'Bearer realm="omnitenant"' });

/** `operatorHash` is the SHA-256 of the operator token, computed once at start. */
export function authenticate(ctx: Context, operatorHash: Buffer, header: string | undefined): Principal {
  if (!header) throw unauthorized("No Authorization header; send `Authorization: Bearer <token>` with the operator token or an API token.");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match) throw unauthorized("The Authorization header is not `Bearer <token>`; send the token with the Bearer scheme.");
  const token = match[1];
  const digest = createHash("sha256").update(token).digest();
  const tokenHash = digest.toString("hex");
  if (timingSafeEqual(digest, operatorHash)) return { kind: "operator", tokenHash };
  const row = ctx.st.tokenByHash.get(tokenHash);
  if (!row) throw unauthorized("The bearer token is not valid; use the operator token or an API token issued by an apiToken credential.");
  if (row.expires_at && Date.parse(row.expires_at) <= ctx.now()) {
    throw unauthorized(`The API token expired at ${row.expires_at}; issue a new apiToken credential.`);
  }
  const scopes = JSON.parse(row.scopes) as string[];
  return {
    kind: "tenant",
    tokenHash,
    tenantId: row.tenant_id,
    credentialId: row.credential_id,
    canWrite: scopes.includes("provisioning:write") || scopes.includes("*"),
    scopes,
    expiresAt: row.expires_at,
  };
}

export function requireOperator(req: FastifyRequest): void {
  if (req.principal.kind !== "operator") {
    throw new Problem("forbidden", `${req.method} ${req.url.split("?")[0]} is an operator route; an API token may only use its own tenant's routes.`);
  }
}

export interface Access {
  /** The request reads or changes the tenant object itself, not its children. */
  tenantObject?: boolean;
}

/** Resolves the tenant of a route, applying isolation, scopes and the reserved management instance. */
export function tenantFor(ctx: Context, req: FastifyRequest, tenantId: string, access: Access = {}): TenantRow {
  const p = req.principal;
  if (p.kind === "tenant") {
    if (p.tenantId !== tenantId) throw notFound(`Tenant ${tenantId}`);
    const readsItself = access.tenantObject && req.method === "GET";
    if (!p.canWrite && !readsItself) {
      throw new Problem("forbidden", `This API token's scopes allow reading tenant ${tenantId} only; ${req.method} here needs the provisioning:write scope.`);
    }
    if (access.tenantObject && req.method !== "GET") {
      throw new Problem("forbidden", `Changing or deleting tenant ${tenantId} is an operator action; use the operator token.`);
    }
  }
  const tenant = ctx.st.tenantById.get(tenantId);
  if (!tenant) throw notFound(`Tenant ${tenantId}`);
  // The operator may read the management instance (it is listed, marked reserved); nothing else.
  if (tenant.reserved && !(p.kind === "operator" && access.tenantObject && req.method === "GET")) {
    throw new Problem("reserved-instance", `Tenant ${tenantId} is the management instance (instance 1); it is read-only, and its objects are not served through the API.`);
  }
  return tenant;
}
