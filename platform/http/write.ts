/** Sending objects and committing writes: ETag headers, idempotent creates, the write counter. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { Context } from "../context";
import { idempotencyScope, remember, replayOf, type StoredResponse } from "./idempotency";
import { Problem } from "../problems";

declare module "fastify" {
  interface FastifyRequest {
    /** Set once the request's write transaction committed (for the dropAfterCommit fault). */
    committed?: boolean;
  }
}

export const etagOf = (revision: number) => `"${revision}"`;

/** `*` or entity tags as this platform issues them ("<revision>", optionally weak). */
export const IF_MATCH = /^(\*|(W\/)?"[0-9]{1,15}"( *, *(W\/)?"[0-9]{1,15}")*)$/;

export function sendObject(reply: FastifyReply, status: number, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return reply
    .code(status)
    .headers({ etag: etagOf(body.revision as number), ...headers })
    .send(body);
}

/** If-Match: `*` or a list of entity tags (weak prefixes ignored); any mismatch is 412. */
export function checkIfMatch(req: FastifyRequest, revision: number): void {
  const header = req.headers["if-match"];
  if (header === undefined) return;
  const tags = header.split(",").map((t) => t.trim().replace(/^W\//, ""));
  if (tags.includes("*") || tags.includes(etagOf(revision))) return;
  throw new Problem(
    "precondition-failed",
    `If-Match ${header.slice(0, 80)} does not match the current ETag ${etagOf(revision)}; read the object again, reapply your change and retry.`,
    [{ path: "If-Match", message: `current ETag is ${etagOf(revision)}` }],
  );
}

/** Runs a write in one transaction and counts it. */
export function commitWrite<T>(ctx: Context, req: FastifyRequest, work: () => T): T {
  const result = ctx.db.transaction(work)();
  ctx.counters.writes++;
  req.committed = true;
  return result;
}

export interface CreateOutcome {
  response: StoredResponse;
  objectId: string;
}

/**
 * An idempotent create: `authorize` decides who may create here before anything else, a stored
 * replay included (a token whose scopes were lowered must not get the response it was once
 * given); `prepare` validates and hashes (async, outside the transaction) and returns
 * the synchronous commit. The key is checked again inside the transaction, so two concurrent
 * requests with one key create one object.
 */
export async function idempotentCreate(
  ctx: Context,
  req: FastifyRequest,
  reply: FastifyReply,
  authorize: () => void,
  prepare: () => Promise<() => CreateOutcome>,
) {
  authorize();
  const scope = idempotencyScope(ctx, req);
  const early = scope && replayOf(ctx, scope);
  if (early) return replay(reply, early);
  const commit = await prepare();
  let replayed: StoredResponse | null = null;
  const outcome = ctx.db.transaction((): CreateOutcome | null => {
    replayed = scope && replayOf(ctx, scope);
    if (replayed) return null;
    const done = commit();
    if (scope) remember(ctx, scope, done.response, done.objectId);
    return done;
  })();
  if (!outcome) return replay(reply, replayed!);
  ctx.counters.writes++;
  req.committed = true;
  return reply.code(outcome.response.status).headers(outcome.response.headers).send(outcome.response.body);
}

function replay(reply: FastifyReply, stored: StoredResponse) {
  return reply
    .code(stored.status)
    .headers({ ...stored.headers, "idempotent-replayed": "true" })
    .send(stored.body);
}
