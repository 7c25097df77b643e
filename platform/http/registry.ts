/**
 * Routes are declared once with their schemas: the server registers them and the OpenAPI document
 * is generated from the same declarations, so the document cannot drift from the routes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteDoc {
  method: Method;
  /** Fastify syntax: `/v1/tenants/:tenantId`. */
  url: string;
  operationId: string;
  summary: string;
  tag: string;
  auth: "operator" | "token" | "none";
  query?: z.ZodTypeAny;
  body?: z.ZodTypeAny;
  ifMatch?: boolean;
  idempotencyKey?: boolean;
  /** The id prefix of the `:id` path parameter (`agt` for agents), so the document gives its pattern. */
  idPrefix?: string;
  /** On a create: the field of the response body holding the new object's id (for OpenAPI links). */
  createdId?: string;
  /** On a create of a staged kind: the new object has a pending change, so it links to the withdrawal too. */
  staged?: boolean;
  /** Success responses; problem responses are added from `problems`. */
  responses: Record<number, { description: string; schema?: z.ZodTypeAny }>;
  problems: number[];
}

const otherMethods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY"];

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown> | unknown;

export class RouteRegistry {
  readonly docs: RouteDoc[] = [];
  constructor(private readonly app: FastifyInstance) {}

  add(doc: RouteDoc, handler: Handler): void {
    this.docs.push(doc);
    const admin = doc.url.startsWith("/v1/admin/");
    this.app.route({ method: doc.method, url: doc.url, config: { admin }, handler: async (req, reply) => handler(req, reply) });
  }

  /** The methods each declared path takes, for `Allow`. */
  allowed(): Map<string, Method[]> {
    const byUrl = new Map<string, Method[]>();
    for (const d of this.docs) byUrl.set(d.url, [...(byUrl.get(d.url) ?? []), d.method]);
    return byUrl;
  }

  /**
   * A known path asked with a method it does not take is 405 with `Allow`, not 404: the path
   * exists. Registered last, once every route is declared. HEAD follows GET (Fastify serves it).
   */
  answerOtherMethods(): void {
    for (const [url, methods] of this.allowed()) {
      const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : [])].join(", ");
      const others = otherMethods.filter((m) => !methods.includes(m as Method) && !(m === "HEAD" && methods.includes("GET")));
      if (others.length) this.app.route({ method: others, url, config: { allow }, handler: async () => undefined });
    }
  }
}
