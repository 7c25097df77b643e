/**
 * The one retry policy of the provider. Retries what may succeed on a second try — 429 (honouring
 * Retry-After), 5xx, and requests that got no response (refused, reset, timed out) — and only when
 * repeating the request cannot do anything twice: idempotent methods, and creates that carry an
 * Idempotency-Key. Backoff is exponential with equal jitter, capped; attempts come from settings.
 */
import pRetry from "p-retry";
import { ConnectionError, OmnitenantApiError, RateLimitError, ServerError } from "./errors";
import { settings } from "./config";

export interface RetryOptions {
  /** The request may be repeated without effect beyond the first (GET, PUT, DELETE, keyed POST, apply). */
  repeatable: boolean;
  /** Called before each retry, e.g. for progress or tests. */
  onRetry?: (err: OmnitenantApiError, attempt: number, delayMs: number) => void;
  /** Once the retries have taken this long (with the next delay), say what they wait for (default 3 s). */
  narrateAfterMs?: number;
  /**
   * Where that line goes (default stderr: the engine shows a provider host's stderr on the resource,
   * and in a CLI process it stays off stdout, which `--json` keeps for the report).
   */
  narrate?: (line: string) => void;
}

/** What a failed attempt met, without anything of the request or response body. */
function whatWentWrong(err: OmnitenantApiError): string {
  if (err.status === undefined) return "got no response";
  return `answered ${err.status}${err.type ? ` ${err.type}` : ""}`;
}

export function isRetryable(err: unknown): err is OmnitenantApiError {
  if (err instanceof RateLimitError || err instanceof ConnectionError) return true;
  return err instanceof ServerError && (err.status ?? 0) >= 500 && err.status !== 501;
}

/** Exponential backoff with equal jitter: uniform in [cap/2, cap], where cap doubles per attempt up to maxMs. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(cap / 2 + Math.random() * (cap / 2));
}

export async function withRetry<T>(fn: (attempt: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  const s = settings();
  if (!opts.repeatable) return fn(1);
  let attempts = 0;
  try {
    return await retrying(s, fn, opts, () => attempts++);
  } catch (err) {
    // Retries ran out on an error worth retrying: say so, so that the message tells what to change.
    if (isRetryable(err) && attempts >= s.maxAttempts) {
      err.message += `\nGave up after ${attempts} attempts; the platform may be overloaded or down: retry later, or raise omnitenant:maxAttempts.`;
    }
    throw err;
  }
}

function retrying<T>(s: ReturnType<typeof settings>, fn: (attempt: number) => Promise<T>, opts: RetryOptions, counted: () => void): Promise<T> {
  const started = Date.now();
  let narrated = false;
  return pRetry(
    async (attempt) => {
      counted();
      try {
        return await fn(attempt);
      } catch (err) {
        // Anything that is not worth repeating ends the loop at once with its own error.
        if (!isRetryable(err)) throw new pRetry.AbortError(err as Error);
        throw err;
      }
    },
    {
      retries: s.maxAttempts - 1,
      // p-retry's own timer is disabled: the delay is ours, so that Retry-After can stretch it.
      minTimeout: 0,
      maxTimeout: 0,
      factor: 1,
      randomize: false,
      onFailedAttempt: async (failure) => {
        const err = failure as unknown as OmnitenantApiError & { attemptNumber: number; retriesLeft: number };
        if (err.retriesLeft <= 0) return;
        const retryAfter = (err as RateLimitError).retryAfterMs;
        const delay = Math.min(Math.max(retryAfter ?? 0, backoffMs(err.attemptNumber, s.retryBaseMs, s.retryMaxMs)), Math.max(s.retryMaxMs, 30_000));
        opts.onRetry?.(err, err.attemptNumber, delay);
        // A wait the user would notice explains itself, once per request.
        if (!narrated && Date.now() - started + delay >= (opts.narrateAfterMs ?? 3_000)) {
          narrated = true;
          (opts.narrate ?? ((line: string) => void process.stderr.write(`${line}\n`)))(
            // The path without its query: a lookup's query holds the natural key, which may be secret.
            `${err.method} ${err.path.split("?")[0]} ${whatWentWrong(err)}; retrying in ${(delay / 1000).toFixed(1)} s ` +
              `(attempt ${err.attemptNumber + 1} of ${s.maxAttempts}; omnitenant:maxAttempts sets how many).`,
          );
        }
        await new Promise((r) => setTimeout(r, delay));
      },
    },
  );
}
