/** Parsing request bodies and query strings with the shared zod schemas. */
import type { z } from "zod";
import { fromZod, Problem } from "../problems";

export function parseBody<S extends z.ZodTypeAny>(schema: S, body: unknown): z.output<S> {
  if (body === undefined || body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new Problem("invalid-request", "The body must be a JSON object (Content-Type: application/json).", [{ path: "", message: "expected a JSON object" }]);
  }
  const result = schema.safeParse(body);
  if (!result.success) throw fromZod(result.error);
  return result.data;
}

/** A patch keeps only the fields the client sent: schema defaults must not reset untouched fields. */
export function parsePatch<S extends z.ZodTypeAny>(schema: S, body: unknown): Record<string, unknown> {
  const parsed = parseBody(schema, body) as Record<string, unknown>;
  const sent = body as Record<string, unknown>;
  return Object.fromEntries(Object.entries(parsed).filter(([k]) => k in sent));
}

/** Query strings are always the caller's syntax, so every failure is 400 invalid-request. */
export function parseQuery<S extends z.ZodTypeAny>(schema: S, query: unknown): z.output<S> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) {
    const p = fromZod(result.error);
    throw new Problem("invalid-request", `Invalid query string: ${p.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}.`, p.errors);
  }
  return result.data;
}

/** A response that does not match its schema is a platform bug: fail loudly rather than lie. */
export function checkResponse<S extends z.ZodTypeAny>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const p = fromZod(result.error);
    throw new Problem("internal-error", `The platform built a response that breaks its own schema (${p.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}); this is a platform bug.`);
  }
  return result.data;
}
