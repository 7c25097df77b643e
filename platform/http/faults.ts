/**
 * Fault injection for reliability tests: each request (admin routes excepted) may be reset, delayed,
 * answered with 500/503/429, or have its response dropped after its write committed. Every injected
 * fault is counted, so tests assert on what really happened. A seed makes a run reproducible.
 */
import { z } from "zod";

const probability = z.number().min(0).max(1).default(0);

export const faultConfigSchema = z.strictObject({
  error500: probability.describe("Probability of a 500 internal-error before the handler runs."),
  error503: probability.describe("Probability of a 503 unavailable before the handler runs."),
  error429: probability.describe("Probability of a 429 rate-limited (Retry-After: 1) before the handler runs."),
  reset: probability.describe("Probability of destroying the connection before doing anything."),
  dropAfterCommit: probability.describe("Probability, for a successful write, of committing and then destroying the connection without responding."),
  latency: probability.describe("Probability of delaying the request by latencyMs."),
  latencyMs: z.number().int().min(0).max(60_000).default(200).describe("Added latency in milliseconds."),
  methods: z.array(z.enum(["GET", "POST", "PATCH", "DELETE"])).optional().describe("Only fault these methods (all when omitted)."),
  seed: z.number().int().optional().describe("Seed of the pseudo-random draws, for reproducible runs."),
});
export type FaultConfig = z.infer<typeof faultConfigSchema>;
export type FaultOptions = z.input<typeof faultConfigSchema>;

export const faultKinds = ["error500", "error503", "error429", "reset", "dropAfterCommit", "latency"] as const;
export type FaultKind = (typeof faultKinds)[number];

export interface FaultDecision {
  reset: boolean;
  latencyMs: number;
  error: 500 | 503 | 429 | null;
  dropAfterCommit: boolean;
}

/** mulberry32: small, fast, good enough to spread fault draws reproducibly. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private config: FaultConfig;
  private random: () => number = Math.random;
  readonly counts: Record<FaultKind, number> = { error500: 0, error503: 0, error429: 0, reset: 0, dropAfterCommit: 0, latency: 0 };

  constructor(options: FaultOptions = {}) {
    this.config = this.configure(options);
  }

  get current(): FaultConfig {
    return this.config;
  }

  /** Replaces the whole configuration (PUT semantics); throws a ZodError on a bad one. */
  configure(options: FaultOptions): FaultConfig {
    this.config = faultConfigSchema.parse(options);
    this.random = this.config.seed === undefined ? Math.random : mulberry32(this.config.seed);
    return this.config;
  }

  decide(method: string): FaultDecision | null {
    const c = this.config;
    if (!c.error500 && !c.error503 && !c.error429 && !c.reset && !c.dropAfterCommit && !c.latency) return null;
    if (c.methods && !(c.methods as string[]).includes(method)) return null;
    const hit = (p: number) => p > 0 && this.random() < p;
    if (hit(c.reset)) return { reset: true, latencyMs: 0, error: null, dropAfterCommit: false };
    const latencyMs = hit(c.latency) ? c.latencyMs : 0;
    const error = hit(c.error500) ? 500 : hit(c.error503) ? 503 : hit(c.error429) ? 429 : null;
    const dropAfterCommit = error === null && method !== "GET" && hit(c.dropAfterCommit);
    return { reset: false, latencyMs, error, dropAfterCommit };
  }

  count(kind: FaultKind): void {
    this.counts[kind]++;
  }

  resetCounts(): void {
    for (const k of faultKinds) this.counts[k] = 0;
  }
}
