/**
 * One error hierarchy for everything the platform or the network can say. Each error carries
 * status, problem type, request id, method and path, and its message says the fact, the offending
 * value where it is not a secret, and what to do next. Secret values are scrubbed from messages.
 */
import { problemBase } from "./schemas/problems";
import { propertyPath } from "./check";

export interface FieldError {
  path: string;
  message: string;
}

export interface ApiErrorInit {
  status?: number;
  type?: string;
  title?: string;
  detail?: string;
  errors?: FieldError[];
  requestId?: string;
  method: string;
  path: string;
  hint?: string;
  cause?: unknown;
}

export class OmnitenantApiError extends Error {
  readonly status?: number;
  /** The problem name (`conflict`, `not-found`, …), without the URI base. */
  readonly type?: string;
  readonly requestId?: string;
  readonly method: string;
  readonly path: string;
  readonly errors: FieldError[];
  readonly detail?: string;

  constructor(init: ApiErrorInit) {
    super(describe(init));
    this.name = new.target.name;
    this.status = init.status;
    this.type = init.type;
    this.requestId = init.requestId;
    this.method = init.method;
    this.path = init.path;
    this.errors = init.errors ?? [];
    this.detail = init.detail;
    if (init.cause !== undefined) (this as { cause?: unknown }).cause = init.cause;
  }

  /** True when retrying the same request may succeed. */
  get transient(): boolean {
    return false;
  }
}

/** 400 invalid-request, 422 validation-failed: the body is wrong; fix the program. */
export class ValidationError extends OmnitenantApiError {}
/** 409 conflict, in-use, deletion-protected. */
export class ConflictError extends OmnitenantApiError {}
/** 422 quota-exceeded: a capability limit of the tenant. */
export class QuotaError extends OmnitenantApiError {}
/** 404 not-found. */
export class NotFoundError extends OmnitenantApiError {}
/** 401 unauthorized, 403 forbidden. */
export class AuthError extends OmnitenantApiError {}
/** 403 reserved-instance: instance 1 is the management instance. */
export class ReservedInstanceError extends OmnitenantApiError {}
/** 412 precondition-failed: the object changed since Pulumi last saw it. */
export class PreconditionError extends OmnitenantApiError {}
/** 422 idempotency-key-reused. */
export class IdempotencyError extends OmnitenantApiError {}
/** 429 rate-limited; `retryAfterMs` from the Retry-After header. */
export class RateLimitError extends OmnitenantApiError {
  retryAfterMs?: number;
  override get transient() {
    return true;
  }
}
/** 5xx. */
export class ServerError extends OmnitenantApiError {
  retryAfterMs?: number;
  override get transient() {
    return (this.status ?? 500) >= 500;
  }
}
/** No HTTP response at all: refused, reset, timed out, DNS. */
export class ConnectionError extends OmnitenantApiError {
  override get transient() {
    return true;
  }
}
/** A staged change the platform would not apply (save-then-apply), with the platform's reasons. */
export class ApplyRejectedError extends OmnitenantApiError {}

const hints: Record<string, string> = {
  "validation-failed": "Fix the value in the program and run `pulumi up` again.",
  "invalid-request": "This is likely a provider bug; please report it with the request id.",
  unauthorized: "Set a valid token: `pulumi config set --secret omnitenant:token <token>` or OMNITENANT_TOKEN.",
  forbidden: "Use a token that may manage this tenant (an operator token manages all tenants).",
  "not-found": "The object was deleted outside Pulumi; run `pulumi refresh` to bring the stack in line.",
  conflict: "Set `adopt: true` on the resource to bring the existing object under management, or choose another value.",
  "in-use": "Remove the references to it first (or delete the objects that use it in the same program).",
  "deletion-protected": "Set `deletionProtection: false` on the tenant and run `pulumi up` before deleting it.",
  "reserved-instance": "Instance 1 is the platform's management instance; customer tenants start at instance 2.",
  "quota-exceeded": "Raise the tenant's capabilities (e.g. capabilities.maxAgents) or declare fewer objects.",
  "idempotency-key-reused": "Another request used this key with a different body; run `pulumi up` again.",
  "precondition-failed": "The object changed outside Pulumi since the last deployment; run `pulumi refresh`, then `pulumi up`.",
  "rate-limited": "The platform is rate limiting; retries were exhausted. Try again later or raise omnitenant:maxAttempts.",
};

const classes: Record<string, typeof OmnitenantApiError> = {
  "validation-failed": ValidationError,
  "invalid-request": ValidationError,
  unauthorized: AuthError,
  forbidden: AuthError,
  "reserved-instance": ReservedInstanceError,
  "not-found": NotFoundError,
  conflict: ConflictError,
  "in-use": ConflictError,
  "deletion-protected": ConflictError,
  "quota-exceeded": QuotaError,
  "idempotency-key-reused": IdempotencyError,
  "precondition-failed": PreconditionError,
  "rate-limited": RateLimitError,
};

const byStatus = (status: number): typeof OmnitenantApiError =>
  status === 404 ? NotFoundError
  : status === 401 || status === 403 ? AuthError
  : status === 409 ? ConflictError
  : status === 412 ? PreconditionError
  : status === 429 ? RateLimitError
  : status >= 500 ? ServerError
  : ValidationError;

export interface ProblemLike {
  type?: unknown;
  title?: unknown;
  detail?: unknown;
  errors?: unknown;
  requestId?: unknown;
}

/** Maps an HTTP error response (problem+json or not) to the matching error class. */
export function errorFromResponse(
  status: number,
  problem: ProblemLike | undefined,
  request: { method: string; path: string; requestId?: string; secrets?: readonly string[] },
): OmnitenantApiError {
  const rawType = typeof problem?.type === "string" ? problem.type : undefined;
  const type = rawType?.startsWith(problemBase) ? rawType.slice(problemBase.length) : rawType;
  const Cls = (type && classes[type]) || byStatus(status);
  const errors = Array.isArray(problem?.errors)
    ? (problem!.errors as unknown[]).flatMap((e) =>
        e && typeof e === "object" && typeof (e as FieldError).message === "string"
          ? [{ path: propertyPath(String((e as FieldError).path ?? "").split(".").filter(Boolean)), message: (e as FieldError).message }]
          : [],
      )
    : [];
  const err = new Cls({
    status,
    type,
    title: typeof problem?.title === "string" ? problem.title : undefined,
    detail: typeof problem?.detail === "string" ? problem.detail : undefined,
    errors,
    requestId: typeof problem?.requestId === "string" ? problem.requestId : request.requestId,
    method: request.method,
    path: request.path,
    hint: type ? hints[type] : status >= 500 ? "The platform failed; retries were exhausted. Check the platform's logs and run `pulumi up` again." : undefined,
  });
  return scrub(err, request.secrets);
}

function describe(init: ApiErrorInit): string {
  const head = init.status !== undefined ? `${init.method} ${init.path} failed with ${init.status}${init.title ? ` (${init.title})` : ""}` : `${init.method} ${init.path} failed`;
  const parts = [head + (init.detail ? `: ${init.detail}` : "")];
  for (const e of init.errors ?? []) parts.push(`  ${e.path || "(body)"}: ${e.message}`);
  if (init.hint) parts.push(init.hint);
  if (init.requestId) parts.push(`(request id ${init.requestId})`);
  return parts.join("\n");
}

const redacted = "[secret]";

/** Removes every known secret value from the message, detail and field errors. */
export function scrub<E extends OmnitenantApiError>(err: E, secrets: readonly string[] | undefined): E {
  const values = (secrets ?? []).filter((s) => typeof s === "string" && s.length >= 4);
  if (values.length === 0) return err;
  const clean = (s: string) => values.reduce((acc, v) => acc.split(v).join(redacted), s);
  err.message = clean(err.message);
  const mutable = err as unknown as { detail?: string; errors: FieldError[] };
  if (mutable.detail) mutable.detail = clean(mutable.detail);
  mutable.errors = err.errors.map((e) => ({ path: e.path, message: clean(e.message) }));
  if (err.stack) err.stack = clean(err.stack);
  return err;
}

/** A refusal the user resolves by changing the program (deletion protection, a bad setting): no stack trace. */
export class ExpectedRefusal extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExpectedRefusal";
  }
}

/** Errors whose message is the whole story: the platform's answers and deliberate refusals, not bugs. */
export function isExpected(err: Error): boolean {
  return err instanceof OmnitenantApiError || err instanceof ExpectedRefusal;
}
