/** A token bucket per bearer token: `burst` requests at once, refilled at `requestsPerSecond`. */
export interface RateLimitOptions {
  requestsPerSecond: number;
  burst: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly clock: () => number = Date.now,
  ) {
    if (!(options.requestsPerSecond > 0) || !(options.burst >= 1)) throw new Error("rateLimit needs requestsPerSecond > 0 and burst >= 1");
  }

  /** Takes a token; returns 0 when allowed, else the seconds to wait (for Retry-After). */
  take(key: string, now = this.clock()): number {
    const { requestsPerSecond: rate, burst } = this.options;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: now };
    bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / rate));
  }
}
