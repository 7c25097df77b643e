/**
 * The platform API client: one keep-alive undici Agent per process (created on first use), JSON in
 * and out, bearer auth, problem+json mapped to the error hierarchy, and the retry policy of
 * retry.ts around each request.
 */
import { Agent, type Dispatcher } from "undici";
import { errorFromResponse, ConnectionError, OmnitenantApiError, RateLimitError, ServerError, scrub } from "./errors";
import { settings } from "./config";
import { withRetry } from "./retry";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RequestOptions {
  method: Method;
  /** Path under the endpoint, e.g. `/v1/tenants/ten_x/agents`. */
  path: string;
  query?: Record<string, string | undefined>;
  body?: unknown;
  idempotencyKey?: string;
  ifMatch?: number;
  /** Overrides the default: GET/PUT/DELETE and keyed POSTs are repeatable. */
  repeatable?: boolean;
  /** Values to scrub from any error message (passwords, tokens). */
  secrets?: readonly string[];
}

export interface ApiResponse<T> {
  status: number;
  body: T;
  /** The object's revision from the ETag header. */
  revision?: number;
  replayed: boolean;
  /** Attempts it took (1 when nothing was retried). */
  attempts: number;
}

let agent: Agent | undefined;

function dispatcher(): Agent {
  // One pool per origin inside one Agent, for the whole process: connections are reused across
  // every resource the provider host serves.
  if (!agent) agent = new Agent({ keepAliveTimeout: 30_000, keepAliveMaxTimeout: 60_000, connections: 64 });
  return agent;
}

/** Closes the process's connections (tests; a provider host simply exits). */
export async function closeClient(): Promise<void> {
  const a = agent;
  agent = undefined;
  await a?.close();
}

/** Counts requests sent by this process, for tests and benchmarks. */
export const clientStats = { requests: 0, retries: 0, lastRetryDelayMs: 0 };

export async function request<T = unknown>(opts: RequestOptions): Promise<ApiResponse<T>> {
  const repeatable = opts.repeatable ?? (opts.method !== "POST" && opts.method !== "PATCH" ? true : !!opts.idempotencyKey);
  let attempts = 0;
  return withRetry(
    async () => {
      attempts++;
      const res = await once<T>(opts);
      return { ...res, attempts };
    },
    {
      repeatable,
      onRetry: (_err, _attempt, delayMs) => {
        clientStats.retries++;
        clientStats.lastRetryDelayMs = delayMs;
      },
    },
  );
}

async function once<T>(opts: RequestOptions): Promise<Omit<ApiResponse<T>, "attempts">> {
  const s = settings();
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) qs.set(k, v);
  const path = opts.path + (qs.size ? `?${qs}` : "");
  const headers: Record<string, string> = { accept: "application/json, application/problem+json" };
  if (s.token) headers.authorization = `Bearer ${s.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.idempotencyKey) headers["idempotency-key"] = opts.idempotencyKey;
  if (opts.ifMatch !== undefined) headers["if-match"] = `"${opts.ifMatch}"`;
  const secrets = [...(opts.secrets ?? []), ...(s.token ? [s.token] : [])];

  let res: Dispatcher.ResponseData;
  clientStats.requests++;
  try {
    res = await dispatcher().request({
      origin: s.endpoint,
      path: new URL(s.endpoint).pathname.replace(/\/$/, "") + path,
      method: opts.method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      headersTimeout: s.requestTimeoutMs,
      bodyTimeout: s.requestTimeoutMs,
    });
  } catch (err) {
    throw scrub(connectionError(err, opts.method, path), secrets);
  }

  let text: string;
  try {
    text = await res.body.text();
  } catch (err) {
    throw scrub(connectionError(err, opts.method, path), secrets);
  }
  const header = (name: string) => {
    const v = res.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const json = text ? safeJson(text) : undefined;
  if (res.statusCode >= 400) {
    const err = errorFromResponse(res.statusCode, json as object | undefined, {
      method: opts.method,
      path,
      requestId: header("x-request-id"),
      secrets,
    });
    if (err instanceof RateLimitError || err instanceof ServerError) err.retryAfterMs = retryAfterMs(header("retry-after"));
    throw err;
  }
  const etag = header("etag");
  const revision = etag ? Number(etag.replace(/^W\//, "").replace(/"/g, "")) : undefined;
  return {
    status: res.statusCode,
    body: json as T,
    revision: Number.isFinite(revision) ? revision : undefined,
    replayed: header("idempotent-replayed") === "true",
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After in seconds or as an HTTP date. */
export function retryAfterMs(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function connectionError(err: unknown, method: string, path: string): OmnitenantApiError {
  const s = settings();
  const e = err as { code?: string; message?: string; name?: string };
  const code = e.code ?? e.name ?? "error";
  const timedOut = /TIMEOUT/i.test(code);
  const refused = code === "ECONNREFUSED" || /ECONNREFUSED/.test(e.message ?? "");
  const what = timedOut
    ? `timed out after ${s.requestTimeoutMs} ms`
    : refused
      ? "was refused: nothing is listening there"
      : `failed: ${e.message ?? code}`;
  const startHint =
    s.endpointSource === "the default local platform address" || refused
      ? `Start the local platform with "npx omnitenant platform", or set omnitenant:endpoint (pulumi config set omnitenant:endpoint <url>) or OMNITENANT_ENDPOINT.`
      : `Check that the platform at ${s.endpoint} is up and reachable, or set omnitenant:endpoint.`;
  return new ConnectionError({
    method,
    path,
    detail: `the omnitenant platform at ${s.endpoint} (from ${s.endpointSource}) ${what} [${code}]`,
    hint: startHint,
    cause: err,
  });
}
