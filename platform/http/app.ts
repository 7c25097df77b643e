/**
 * The Fastify application: request ids, the request log, fault injection (on a platform started
 * for it), authentication, rate limiting, and one problem+json answer for every error — the
 * routes', the framework's and Node's HTTP parser's alike.
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { STATUS_CODES } from "node:http";
import { z } from "zod";
import type { Socket } from "node:net";
import { createHash, randomBytes } from "node:crypto";
import type { Context } from "../context";
import { jsonDepth, MAX_JSON_DEPTH } from "../crypto";
import { Problem } from "../problems";
import { openApiDocument } from "../openapi";
import { adminRoutes, faultRoutes, newRequestStats, type RequestStats } from "../routes/admin";
import { changeRoutes } from "../routes/changes";
import { childRoutes } from "../routes/children";
import { tenantRoutes } from "../routes/tenants";
import { childHandlers } from "../kinds";
import { authenticate } from "./auth";
import type { FaultDecision, FaultInjector } from "./faults";
import type { RateLimiter } from "./rate-limit";
import { RouteRegistry, type Method } from "./registry";

declare module "fastify" {
  interface FastifyRequest {
    fault: FaultDecision | null;
  }
  interface FastifyContextConfig {
    /** Set on the routes that answer 405 for a method a known path does not take. */
    allow?: string;
    /** Operator administration: never faulted, never counted, never rate limited. */
    admin?: boolean;
  }
}

export interface AppOptions {
  operatorToken: string;
  /** Null unless the platform was started for fault injection; then the admin fault routes exist. */
  faults: FaultInjector | null;
  rateLimiter: RateLimiter | null;
  /** One line per request: method, route, status, duration, request id. */
  logger: boolean;
}

export const OPENAPI_URL = "/v1/openapi.json";
export const BODY_LIMIT = 1024 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const newRequestId = () => `req_${randomBytes(9).toString("base64url")}`;
/** A path echoed in a message is cut short: a hostile path is not worth reflecting whole. */
const shown = (path: string) => (path.length > 120 ? `${path.slice(0, 120)}…` : path);

function sendProblem(reply: FastifyReply, problem: Problem) {
  return reply
    .code(problem.status)
    .headers(problem.headers)
    .type("application/problem+json")
    .send(problem.body(String(reply.request.id)));
}

/** Errors Fastify raises itself, as the problem they are. */
function frameworkProblem(error: FastifyError): Problem | null {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new Problem("payload-too-large", `The body is larger than ${BODY_LIMIT} bytes; no request of this API needs that.`);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new Problem("unsupported-media-type", "The body must be JSON: send it with Content-Type: application/json.", [{ path: "Content-Type", message: "must be application/json" }]);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new Problem("invalid-request", "Content-Length does not match the body sent.", [{ path: "Content-Length", message: "does not match the body" }]);
    case "FST_ERR_BAD_URL":
      return new Problem("invalid-request", "The path is not valid percent-encoding; encode each path segment (e.g. %25 for %).", [{ path: "", message: "malformed percent-encoding" }]);
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new Problem("not-found", "No object has an id this long; check the id in the path.");
    default:
      return null;
  }
}

/**
 * Node rejects some requests before Fastify sees them (headers too large, unparsable HTTP). They
 * are answered with a problem document too, with a request id of their own.
 */
function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === "ECONNRESET" || socket.destroyed) return;
  const problem =
    err.code === "HPE_HEADER_OVERFLOW"
      ? new Problem("headers-too-large", "The request headers are larger than the server accepts; send fewer or shorter headers.")
      : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? new Problem("invalid-request", "The request did not arrive in time; send it again.")
        : new Problem("invalid-request", "The request is not valid HTTP/1.1; check the request line and headers.");
  const requestId = newRequestId();
  const body = JSON.stringify(problem.body(requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

export function buildApp(ctx: Context, options: AppOptions): { app: FastifyInstance; stats: { current: RequestStats }; routes: RouteRegistry } {
  const app = Fastify({
    // The request log is written by the onResponse hook below; Fastify's own request logging
    // would print the URL with its query string and is turned off.
    logger: options.logger ? { level: "info" } : false,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: newRequestId,
    bodyLimit: BODY_LIMIT,
    forceCloseConnections: true,
    return503OnClosing: true,
    clientErrorHandler,
    frameworkErrors: (error, _req, reply) => sendProblem(reply, frameworkProblem(error) ?? new Problem("invalid-request", "The request could not be routed.")),
  });
  // An empty body with a JSON content type means "no body" (e.g. POST …/changes/apply), not an error.
  const jsonParser = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (req, body, done) => {
    const text = body.toString();
    if (text.trim() === "") return done(null, undefined);
    return jsonParser(req, text, (err: Error | null, value?: unknown) => {
      if (err) return done(new Problem("invalid-request", `The body is not valid JSON (${err.message}); send a JSON object.`, [{ path: "", message: "invalid JSON" }]), undefined);
      // Bounded before anything walks the body recursively (validation, the idempotency MAC).
      if (jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        return done(new Problem("invalid-request", `The body is nested deeper than ${MAX_JSON_DEPTH} levels; no request of this API needs that.`, [{ path: "", message: `nested deeper than ${MAX_JSON_DEPTH} levels` }]), undefined);
      }
      return done(null, value);
    });
  });
  // Every other media type is refused before the handler runs (415), whatever the route.
  app.removeContentTypeParser("text/plain");
  const stats = { current: newRequestStats() };
  const operatorHash = createHash("sha256").update(options.operatorToken).digest();
  app.decorateRequest("principal", null as never);
  app.decorateRequest("fault", null);
  app.decorateRequest("committed", false);

  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
    const config = req.routeOptions.config;
    if (config.allow) {
      throw new Problem("method-not-allowed", `${req.method} is not an operation of ${shown(req.routeOptions.url ?? "")}; it takes ${config.allow}.`, [], { allow: config.allow });
    }
    // Admin routes are recognised by the route the router matched (on the decoded path), never by
    // the raw URL text, so an encoded spelling of /v1/admin is treated as what it reaches.
    const admin = config.admin === true;
    if (!admin) {
      stats.current.total++;
      if (req.method in stats.current.byMethod) stats.current.byMethod[req.method as keyof RequestStats["byMethod"]]++;
      const fault = options.faults?.decide(req.method) ?? null;
      req.fault = fault;
      if (fault?.reset) {
        options.faults!.count("reset");
        reply.hijack();
        req.raw.socket.destroy();
        return;
      }
      if (fault?.latencyMs) {
        options.faults!.count("latency");
        await sleep(fault.latencyMs);
      }
      if (fault?.error === 500) {
        options.faults!.count("error500");
        throw new Problem("internal-error", "Injected fault: internal error before any work was done; retry the request.");
      }
      if (fault?.error === 503) {
        options.faults!.count("error503");
        throw new Problem("unavailable", "Injected fault: the platform is unavailable; retry shortly.", [], { "retry-after": "1" });
      }
      if (fault?.error === 429) {
        options.faults!.count("error429");
        throw new Problem("rate-limited", "Injected fault: too many requests; retry after the Retry-After delay.", [], { "retry-after": "1" });
      }
    }
    if (req.routeOptions.url === OPENAPI_URL) return;
    req.principal = authenticate(ctx, operatorHash, req.headers.authorization);
    if (options.rateLimiter && !admin) {
      const wait = options.rateLimiter.take(req.principal.tokenHash);
      if (wait > 0) {
        throw new Problem("rate-limited", `This token exceeded its request rate; retry after ${wait} s.`, [], { "retry-after": String(wait) });
      }
    }
  });

  // "Commit, then drop": the write is durable but the client never hears about it.
  app.addHook("onSend", async (req, reply, payload) => {
    if (req.fault?.dropAfterCommit && req.committed && reply.statusCode < 300) {
      options.faults!.count("dropAfterCommit");
      req.raw.socket.destroy();
    }
    return payload;
  });

  // The request log: never the URL's query, a header, or a body — only what names the request.
  if (options.logger) {
    app.addHook("onResponse", async (req, reply) => {
      req.log.info(
        { method: req.method, route: req.routeOptions.url ?? "(no route)", status: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 },
        "request",
      );
    });
  }

  app.setErrorHandler((error: FastifyError | Problem, req, reply) => {
    if (error instanceof Problem) {
      if (error.status >= 500 && !req.fault?.error) req.log.error({ err: error }, "platform error");
      return sendProblem(reply, error);
    }
    const known = frameworkProblem(error as FastifyError);
    if (known) return sendProblem(reply, known);
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      return sendProblem(reply, new Problem("invalid-request", `The request is malformed (${(error as FastifyError).code ?? "client error"}); send a JSON object body with Content-Type: application/json.`, [{ path: "", message: "malformed request" }]));
    }
    req.log.error({ err: error }, "unhandled error");
    return sendProblem(reply, new Problem("internal-error", `The platform failed on this request (request id ${req.id}); retry, and report it if it persists.`));
  });

  app.setNotFoundHandler((req, reply) =>
    sendProblem(reply, new Problem("not-found", `No route ${req.method} ${shown(req.url.split("?")[0])}; see ${OPENAPI_URL} for the routes.`)),
  );

  const routes = new RouteRegistry(app);
  tenantRoutes(ctx, routes);
  for (const h of childHandlers) childRoutes(ctx, routes, h);
  changeRoutes(ctx, routes);
  adminRoutes(ctx, routes, options.faults, stats);
  if (options.faults) faultRoutes(routes, options.faults);
  const document = { current: null as unknown };
  routes.add(
    {
      method: "GET", url: OPENAPI_URL, operationId: "getOpenApi", tag: "Meta", auth: "none",
      summary: "This OpenAPI 3.1 document.", responses: { 200: { description: "The document.", schema: z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) } }, problems: [],
    },
    () => (document.current ??= openApiDocument(routes.docs)),
  );
  routes.answerOtherMethods();
  return { app, stats, routes };
}

export type { FastifyRequest, Method };
