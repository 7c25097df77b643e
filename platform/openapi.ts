/** The OpenAPI 3.1 document, generated from the route declarations and their zod schemas. */
import { z } from "zod";
import { problemDocument, problemTypes } from "../provider/schemas/problems";
import type { RouteDoc } from "./http/registry";
import { IF_MATCH } from "./http/write";

/**
 * A request body under /v1/tenants/{tenantId}/…: the path names the tenant, so a `tenantId` in the
 * body is optional (the server takes the path's, and refuses a different one with 422).
 */
function bodySchema(schema: z.ZodTypeAny, url: string): Record<string, unknown> {
  const out = jsonSchema(schema, "input") as { required?: string[]; properties?: Record<string, Record<string, unknown>> };
  if (url.includes("/tenants/:tenantId/") && out.properties?.tenantId) {
    out.required = (out.required ?? []).filter((k) => k !== "tenantId");
    out.properties.tenantId = { ...out.properties.tenantId, description: "Optional: the tenant of the path; a different one is refused (422)." };
  }
  return out;
}

function jsonSchema(schema: z.ZodTypeAny, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<string, unknown>;
  return withoutLooseEmailFormat(rest) as Record<string, unknown>;
}

/**
 * zod states an email as `format: "email"` and, beside it, the pattern the server applies. JSON
 * Schema validators read `format: "email"` as RFC 5321, which accepts and refuses other addresses
 * than the server: the pattern alone says what the server accepts.
 */
function withoutLooseEmailFormat(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutLooseEmailFormat);
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = withoutLooseEmailFormat(v);
  if (out.format === "email" && typeof out.pattern === "string") delete out.format;
  return out;
}

const problemRef = { $ref: "#/components/schemas/Problem" };

function problemResponse(status: number) {
  const types = Object.entries(problemTypes)
    .filter(([, p]) => p.status === status)
    .map(([name]) => name);
  return { description: `Problem (${types.join(", ")}).`, content: { "application/problem+json": { schema: problemRef } } };
}

function parametersOf(doc: RouteDoc) {
  const out: Array<Record<string, unknown>> = [];
  for (const m of doc.url.matchAll(/:(\w+)/g)) {
    const prefix = m[1] === "tenantId" ? "ten" : doc.idPrefix;
    out.push({ name: m[1], in: "path", required: true, schema: prefix ? { type: "string", pattern: `^${prefix}_[A-Za-z0-9]{6,40}$` } : { type: "string" } });
  }
  if (doc.query) {
    const q = jsonSchema(doc.query, "input") as { properties?: Record<string, Record<string, unknown>> };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      const { description, ...s } = schema;
      out.push({ name, in: "query", required: false, description, schema: s });
    }
  }
  if (doc.ifMatch) out.push({ name: "If-Match", in: "header", required: false, description: `The ETag read before: \`*\` or entity tags such as "3" (pattern ${IF_MATCH.source}); anything else never matches, so it is 412 like a stale tag.`, schema: { type: "string" } });
  if (doc.idempotencyKey) {
    out.push({ name: "Idempotency-Key", in: "header", required: false, description: "Retrying with the same key and body replays the first response (Idempotent-Replayed: true); another body is 422. Kept 24 h, released when the object is deleted.", schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,255}$" } });
  }
  return out;
}

/**
 * OpenAPI links from a create to every operation that takes the id it returns: the tenant's id for
 * everything under /v1/tenants/{tenantId}, an object's id for the operations on that object (and,
 * for a staged kind, on its pending change). So a client (or a stateful fuzzer) can follow a create
 * to real objects.
 */
function linksOf(create: RouteDoc, docs: RouteDoc[]): Record<string, unknown> {
  const links: Record<string, unknown> = {};
  const idUrl = `${create.url}/:id`;
  for (const d of docs) {
    if (d === create) continue;
    const parameters: Record<string, string> = {};
    if (create.url === "/v1/tenants") {
      if (!d.url.startsWith("/v1/tenants/:tenantId")) continue;
      parameters.tenantId = `$response.body#/${create.createdId}`;
    } else {
      if (d.url !== idUrl && !(create.staged && d.url === "/v1/tenants/:tenantId/changes/:id")) continue;
      parameters.tenantId = "$request.path.tenantId";
      parameters.id = `$response.body#/${create.createdId}`;
    }
    links[d.operationId] = { operationId: d.operationId, parameters, description: `${d.method} on the object this create returned.` };
  }
  return links;
}

export function openApiDocument(docs: RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const path = doc.url.replace(/:(\w+)/g, "{$1}");
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(doc.responses)) {
      responses[status] = r.schema ? { description: r.description, content: { "application/json": { schema: jsonSchema(r.schema, "output") } } } : { description: r.description };
      if (status === "201" && doc.createdId) (responses[status] as Record<string, unknown>).links = linksOf(doc, docs);
    }
    for (const status of doc.problems) responses[String(status)] = problemResponse(status);
    if (doc.body) {
      responses["413"] = problemResponse(413);
      responses["415"] = problemResponse(415);
    }
    responses.default = { description: "Problem (internal-error, unavailable, or another). A method this path does not take is 405 method-not-allowed with Allow.", content: { "application/problem+json": { schema: problemRef } } };
    (paths[path] ??= {})[doc.method.toLowerCase()] = {
      operationId: doc.operationId,
      summary: doc.summary,
      tags: [doc.tag],
      security: doc.auth === "none" ? [] : [{ bearer: [] }],
      "x-omnitenant-auth": doc.auth,
      parameters: parametersOf(doc),
      ...(doc.body ? { requestBody: { required: doc.method !== "POST" || !doc.url.endsWith("/apply"), content: { "application/json": { schema: bodySchema(doc.body, doc.url) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "omnitenant platform API",
      version: "1",
      description: "The management API of the local omnitenant platform: tenants, agents, queues, PBX extensions, user groups, incoming numbers and integration credentials, with save-then-apply for PBX objects.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "The operator token, or an API token of an apiToken credential." } },
      schemas: { Problem: jsonSchema(problemDocument, "output") },
    },
    paths,
  };
}
