/** The OpenAPI 3.1 document, generated from the route declarations and their zod schemas. */
import { z } from "zod";
import { problemDocument, problemTypes } from "../provider/schemas/problems";
import type { RouteDoc } from "./http/registry";

function jsonSchema(schema: z.ZodTypeAny, io: "input" | "output"): Record<string, unknown> {
  const { $schema: _s, ...rest } = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Record<string, unknown>;
  return rest;
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
  for (const m of doc.url.matchAll(/:(\w+)/g)) out.push({ name: m[1], in: "path", required: true, schema: { type: "string" } });
  if (doc.query) {
    const q = jsonSchema(doc.query, "input") as { properties?: Record<string, Record<string, unknown>> };
    for (const [name, schema] of Object.entries(q.properties ?? {})) {
      const { description, ...s } = schema;
      out.push({ name, in: "query", required: false, description, schema: s });
    }
  }
  if (doc.ifMatch) out.push({ name: "If-Match", in: "header", required: false, description: "The ETag read before; a mismatch is 412.", schema: { type: "string" } });
  if (doc.idempotencyKey) {
    out.push({ name: "Idempotency-Key", in: "header", required: false, description: "Retrying with the same key and body replays the first response (Idempotent-Replayed: true); another body is 422. Kept 24 h, released when the object is deleted.", schema: { type: "string", maxLength: 255 } });
  }
  return out;
}

export function openApiDocument(docs: RouteDoc[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const path = doc.url.replace(/:(\w+)/g, "{$1}");
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(doc.responses)) {
      responses[status] = r.schema ? { description: r.description, content: { "application/json": { schema: jsonSchema(r.schema, "output") } } } : { description: r.description };
    }
    for (const status of doc.problems) responses[String(status)] = problemResponse(status);
    responses.default = { description: "Problem (internal-error, unavailable, or another).", content: { "application/problem+json": { schema: problemRef } } };
    (paths[path] ??= {})[doc.method.toLowerCase()] = {
      operationId: doc.operationId,
      summary: doc.summary,
      tags: [doc.tag],
      security: doc.auth === "none" ? [] : [{ bearer: [] }],
      "x-omnitenant-auth": doc.auth,
      parameters: parametersOf(doc),
      ...(doc.body ? { requestBody: { required: doc.method !== "POST" || !doc.url.endsWith("/apply"), content: { "application/json": { schema: jsonSchema(doc.body, "input") } } } } : {}),
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
