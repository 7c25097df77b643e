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
  /** Success responses; problem responses are added from `problems`. */
  responses: Record<number, { description: string; schema?: z.ZodTypeAny }>;
  problems: number[];
}

export type Handler = (req: FastifyRequest, reply: FastifyReply) => Promise<unknown> | unknown;

export class RouteRegistry {
  readonly docs: RouteDoc[] = [];
  constructor(private readonly app: FastifyInstance) {}

  add(doc: RouteDoc, handler: Handler): void {
    this.docs.push(doc);
    this.app.route({ method: doc.method, url: doc.url, handler: async (req, reply) => handler(req, reply) });
  }
}
