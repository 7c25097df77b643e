/**
 * Idempotent creates. A key is scoped to (token, method, path). The first successful response is
 * stored encrypted (it may carry generated secrets) in the same transaction as the object, so a
 * client whose response was lost after the commit gets that response, not a second object.
 */
import type { FastifyRequest } from "fastify";
import { canonicalJson } from "../crypto";
import type { Context } from "../context";
import { Problem } from "../problems";

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export interface IdempotencyScope {
  tokenHash: string;
  method: string;
  path: string;
  key: string;
  requestHash: string;
}

export function idempotencyScope(ctx: Context, req: FastifyRequest): IdempotencyScope | null {
  const raw = req.headers["idempotency-key"];
  if (raw === undefined) return null;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw new Problem("invalid-request", "Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.", [{ path: "Idempotency-Key", message: "invalid key" }]);
  }
  return { tokenHash: req.principal.tokenHash, method: req.method, path: req.url.split("?")[0], key, requestHash: requestMac(ctx, req) };
}

/**
 * The fingerprint of a request body: an HMAC under the platform's key (see SecretBox.mac), since
 * bodies carry passwords. The method and path are bound in too.
 */
function requestMac(ctx: Context, req: FastifyRequest): string {
  return ctx.box.mac(`${req.method} ${req.url.split("?")[0]}\n${canonicalJson(req.body ?? null)}`);
}

/** The stored response for this key, or null; throws when the key was used with another body. */
export function replayOf(ctx: Context, scope: IdempotencyScope): StoredResponse | null {
  const row = ctx.st.idempotencyGet.get(scope.tokenHash, scope.method, scope.path, scope.key);
  if (!row) return null;
  if (row.created_at < ctx.now() - IDEMPOTENCY_TTL_MS) {
    ctx.st.idempotencyDelete.run(scope.tokenHash, scope.method, scope.path, scope.key);
    return null;
  }
  if (row.request_hash !== scope.requestHash) {
    throw new Problem(
      "idempotency-key-reused",
      `Idempotency-Key ${JSON.stringify(scope.key)} was already used for ${scope.method} ${scope.path} with a different body; use a new key for a different request.`,
      [{ path: "Idempotency-Key", message: "used with another body" }],
    );
  }
  return JSON.parse(ctx.box.open(row.response)) as StoredResponse;
}

export function remember(ctx: Context, scope: IdempotencyScope, response: StoredResponse, objectId: string): void {
  ctx.st.idempotencyPut.run({
    token_hash: scope.tokenHash,
    method: scope.method,
    path: scope.path,
    idem_key: scope.key,
    request_hash: scope.requestHash,
    status: response.status,
    response: ctx.box.seal(JSON.stringify(response)),
    object_id: objectId,
    created_at: ctx.now(),
  });
}
