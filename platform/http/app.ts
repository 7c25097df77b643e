/**
 * The Fastify application: request ids, fault injection, authentication, rate limiting and the
 * problem+json error handler around the routes.
 */
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { createHash, randomBytes } from "node:crypto";
import { jsonDepth, MAX_JSON_DEPTH } from "../crypto";
import type { Context } from "../context";
import { Problem } from "../problems";
import { openApiDocument } from "../openapi";
import { adminRoutes, newRequestStats, type RequestStats } from "../routes/admin";
import { changeRoutes } from "../routes/changes";
import { childRoutes } from "../routes/children";
import { tenantRoutes } from "../routes/tenants";
import { childHandlers } from "../kinds";
import { authenticate } from "./auth";
import type { FaultDecision, FaultInjector } from "./faults";
import type { RateLimiter } from "./rate-limit";
import { RouteRegistry } from "./registry";

declare module "fastify" {
  interface FastifyRequest {
    fault: FaultDecision | null;
  }
}

export interface AppOptions {
  operatorToken: string;
  faults: FaultInjector;
  rateLimiter: RateLimiter | null;
  logger: boolean;
}

const OPENAPI_URL = "/v1/openapi.json";
const isAdmin = (url: string) => url === "/v1/admin" || url.startsWith("/v1/admin/") || url.startsWith("/v1/admin?");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type("application/problem+json")
    .send(problem.body(String(reply.request.id)));
}

export function buildApp(ctx: Context, options: AppOptions): { app: FastifyInstance; stats: { current: RequestStats }; routes: RouteRegistry } {
  const app = Fastify({
    logger: options.logger
      ? { level: "info", redact: { paths: ["req.headers.authorization", "req.headers.cookie"], censor: "[redacted]" } }
      : false,
    genReqId: () => `req_${randomBytes(9).toString("base64url")}`,
    forceCloseConnections: true,
    return503OnClosing: true,
  });
  // An empty body with a JSON content type means "no body" (e.g. POST …/changes/apply), not an error.
  const jsonParser = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = body.toString();
    if (text.trim() === "") return done(null, undefined);
    return jsonParser(req, text, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      // Bounded before anything walks the body recursively (validation, the idempotency MAC).
      if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        return done(new Problem("invalid-request", `The body is nested deeper than ${MAX_JSON_DEPTH} levels; no request of this API needs that.`, [{ path: "", message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]), undefined);
      }
      return done(null, value);
    });
  });
  const stats = { current: newRequestStats() };
  const operatorHash = createHash("sha256").update(options.operatorToken).digest();
  app.decorateRequest("principal", null as never);
  app.decorateRequest("fault", null);
  app.decorateRequest("committed", false);

  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
    const path = req.url.split("?")[0];
    if (!isAdmin(path)) {
      stats.current.total++;
      if (req.method in stats.current.byMethod) stats.current.byMethod[req.method as keyof RequestStats["byMethod"]]++;
      const fault = options.faults.decide(req.method);
      req.fault = fault;
      if (fault?.reset) {
        options.faults.count("reset");
        reply.hijack();
        req.raw.socket.destroy();
        return;
      }
      if (fault?.latencyMs) {
        options.faults.count("latency");
        await sleep(fault.latencyMs);
      }
      if (fault?.error === 500) {
        options.faults.count("error500");
        throw new Problem("internal-error", "Injected fault: internal error before any work was done; retry the request.");
      }
      if (fault?.error === 503) {
        options.faults.count("error503");
        throw new Problem("unavailable", "Injected fault: the platform is unavailable; retry shortly.", [], { "retry-after": "1" });
      }
      if (fault?.error === 429) {
        options.faults.count("error429");
        throw new Problem("rate-limited", "Injected fault: too many requests; retry after the Retry-After delay.", [], { "retry-after": "1" });
      }
    }
    if (path === OPENAPI_URL) return;
    req.principal = authenticate(ctx, operatorHash, req.headers.authorization);
    if (options.rateLimiter && !isAdmin(path)) {
      const wait = options.rateLimiter.take(req.principal.tokenHash);
      if (wait > 0) {
        throw new Problem("rate-limited", `This token exceeded its request rate; retry after ${wait} s.`, [], { "retry-after": String(wait) });
      }
    }
  });

  // "Commit, then drop": the write is durable but the client never hears about it.
  app.addHook("onSend", async (req, reply, payload) => {
    if (req.fault?.dropAfterCommit && req.committed && reply.statusCode < 300) {
      options.faults.count("dropAfterCommit");
      req.raw.socket.destroy();
    }
    return payload;
  });

  app.setErrorHandler((error: FastifyError | Problem, req, reply) => {
    if (error instanceof Problem) {
      if (error.status >= 500 && !req.fault?.error) req.log.error({ err: error }, "platform error");
      return sendProblem(reply, error);
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      return sendProblem(reply, new Problem("invalid-request", `${error.message}. Send a JSON object body with Content-Type: application/json.`, [{ path: "", message: error.message }]));
    }
    req.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, new Problem("internal-error", `The platform failed on this request (request id ${req.id}); retry, and report it if it persists.`));
  });

  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, new Problem("not-found", `No route ${req.method} ${req.url.split("?")[0]}; see ${OPENAPI_URL} for the routes.`)),
  );

  const routes = new RouteRegistry(app);
  tenantRoutes(ctx, routes);
  for (const h of childHandlers) childRoutes(ctx, routes, h);
  changeRoutes(ctx, routes);
  adminRoutes(ctx, routes, options.faults, stats);
  const document = { current: null as unknown };
  routes.add(
    {
      method: "GET", url: OPENAPI_URL, operationId: "getOpenApi", tag: "Meta", auth: "none",
      summary: "This OpenAPI 3.1 document.", responses: { 200: { description: "The document." } }, problems: [],
    },
    () => (document.current ??= openApiDocument(routes.docs)),
  );
  return { app, stats, routes };
}

export type { FastifyRequest };
