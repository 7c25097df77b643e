/**
 * The retry policy at its edges: what happens when retries run out (the error says so), what is
 * never retried (501, validation errors, a POST without an Idempotency-Key), and the backoff bounds.
 */
import { queueProvider } from "../../provider/queue";
import { tenantProvider } from "../../provider/tenant";
import { request } from "../../provider/client";
import { backoffMs, isRetryable, withRetry } from "../../provider/retry";
import { ConnectionError, NotFoundError, RateLimitError, ServerError, ValidationError } from "../../provider/errors";
import { checked, startProviderPlatform, tenantArgs, type TestPlatform } from "./helpers";

let p: TestPlatform;
let tenantId: string;
beforeAll(async () => {
  p = await startProviderPlatform({ maxAttempts: 3, retryBaseMs: 1, retryMaxMs: 5 });
  tenantId = (await tenantProvider.create(await checked(tenantProvider, tenantArgs()))).id;
});
afterEach(async () => p.faults({}));
afterAll(async () => p.close());

const failing = (status: number) => new ServerError({ status, type: status === 501 ? "not-implemented" : "internal-error", method: "GET", path: "/x" });

describe("retries", () => {
  test("running out: the last error, with how many attempts were made and what to do", async () => {
    const { id, outs } = await queueProvider.create(await checked(queueProvider, { tenantId, name: "Retried" }));
    const before = (await p.stats()).faults.error503;
    await p.faults({ error503: 1, methods: ["GET"] });
    const err = await queueProvider.read(id, outs).then(
      () => new Error("read resolved"),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ status: 503, type: "unavailable" });
    expect((err as Error).message).toContain("Gave up after 3 attempts");
    expect((err as Error).message).toContain("omnitenant:maxAttempts");
    expect((await p.stats()).faults.error503 - before).toBe(3);
  });

  test("a POST without an Idempotency-Key is sent once, whatever the answer", async () => {
    const before = (await p.stats()).faults.error503;
    await p.faults({ error503: 1, methods: ["POST"] });
    const err = await request({ method: "POST", path: `/v1/tenants/${tenantId}/queues`, body: { name: "Once" } }).then(
      () => new Error("request resolved"),
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ status: 503 });
    expect((err as Error).message).not.toContain("Gave up");
    expect((await p.stats()).faults.error503 - before).toBe(1);
  });

  test("501 and client errors end the loop at once; 500, 503, 429 and lost connections are retried", async () => {
    for (const [err, retried] of [
      [failing(501), false],
      [new ValidationError({ status: 422, type: "validation-failed", method: "POST", path: "/x" }), false],
      [new NotFoundError({ status: 404, type: "not-found", method: "GET", path: "/x" }), false],
      [failing(500), true],
      [failing(503), true],
      [new RateLimitError({ status: 429, type: "rate-limited", method: "GET", path: "/x" }), true],
      [new ConnectionError({ method: "GET", path: "/x" }), true],
    ] as const) {
      let calls = 0;
      const thrown = await withRetry(
        async () => {
          calls++;
          throw err;
        },
        { repeatable: true },
      ).catch((e: unknown) => e);
      expect({ type: err.type ?? err.name, thrown: thrown === err, retried, calls }).toEqual({ type: err.type ?? err.name, thrown: true, retried, calls: retried ? 3 : 1 });
      expect(isRetryable(err)).toBe(retried);
    }
  });

  test("a noticeable wait says once what it waits for, without anything of the body or the query", async () => {
    const lines: string[] = [];
    const err = new ServerError({ status: 503, type: "unavailable", method: "GET", path: "/v1/tenants/ten_x/agents?account=Secret-Account", detail: "Secret-Body-Value" });
    await withRetry(
      async () => {
        throw err;
      },
      { repeatable: true, narrateAfterMs: 0, narrate: (l) => lines.push(l) },
    ).catch(() => undefined);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^GET \/v1\/tenants\/ten_x\/agents answered 503 unavailable; retrying in \d+\.\d s \(attempt 2 of 3; omnitenant:maxAttempts sets how many\)\.$/);
    expect(lines[0]).not.toMatch(/Secret/);
    // A short wait says nothing.
    const quiet: string[] = [];
    await withRetry(
      async () => {
        throw new ConnectionError({ method: "GET", path: "/x" });
      },
      { repeatable: true, narrate: (l) => quiet.push(l) },
    ).catch(() => undefined);
    expect(quiet).toEqual([]);
  });

  test("backoff: equal jitter within [cap/2, cap], the cap doubling per attempt up to the maximum", () => {
    const random = jest.spyOn(Math, "random");
    try {
      random.mockReturnValue(0);
      expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, 100, 1_000))).toEqual([50, 100, 200, 400, 500, 500]);
      random.mockReturnValue(0.999999);
      expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, 100, 1_000))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
      expect(backoffMs(0, 100, 1_000)).toBe(100);
    } finally {
      random.mockRestore();
    }
  });
});
