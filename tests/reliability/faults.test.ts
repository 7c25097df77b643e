/**
 * Under injected faults — about 20% of requests answered 503 or 429 or reset, and 5% of successful
 * writes committed and then their response dropped — an `up` of 200 resources converges: afterwards
 * exactly the declared objects exist on the platform (no duplicate, no orphan, nothing pending) and
 * `preview` shows no change.
 */
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { createTestStack, outputCollector, type TestStack } from "../support/engine";
import { fleetPlan, fleetProgram, omnitenantFactory } from "../bench/programs/fleet";
import { call, compare, inventory, managedResources, report, summarize } from "./helpers";

jest.setTimeout(240_000);

describe("a deployment under injected faults", () => {
  let platform: TestPlatform;
  let test: TestStack | undefined;
  const plan = fleetPlan(200, `faults-${Date.now().toString(36)}`);
  const seed = Math.floor(Math.random() * 1_000_000);
  // The draws are sequential (reset, then 503, then 429): 1 − 0.93 × 0.92 × 0.94 ≈ 20% of requests.
  const faults = { reset: 0.07, error503: 0.08, error429: 0.06, dropAfterCommit: 0.05, seed };

  beforeAll(async () => {
    platform = await startTestPlatform({ faults });
  });
  afterAll(async () => {
    await call(platform, "PUT", "/v1/admin/faults", {});
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  it("converges: exactly the declared objects, once each, all live, and no change on preview", async () => {
    test = await createTestStack({
      name: "faults",
      platform,
      program: async () => void fleetProgram(plan, omnitenantFactory, { dependOnTargets: true }),
      // Ten attempts per request: at ~20% faults a request fails ten times in a row with p ≈ 1e-7.
      config: { "omnitenant:maxAttempts": "10" },
    });
    const runs: Array<{ result: string; seconds: number; error?: string }> = [];
    const out = outputCollector();
    for (let attempt = 1; attempt <= 2; attempt++) {
      const t = Date.now();
      try {
        const r = await test.stack.up({ onOutput: out.onOutput });
        runs.push({ result: r.summary.result, seconds: (Date.now() - t) / 1000 });
        break;
      } catch (err) {
        const message = (err as Error).message;
        runs.push({ result: "failed", seconds: (Date.now() - t) / 1000, error: message.slice(-1500) });
        // A re-run is allowed only when the first run failed because a request's retries ran out.
        if (attempt === 2 || !/Gave up after \d+ attempts/.test(message)) break;
      }
    }
    const stats = (await call(platform, "GET", "/v1/admin/stats")).body;
    const deployment = (await test.stack.exportStack()).deployment;
    const preview = await test.stack.preview();
    await call(platform, "PUT", "/v1/admin/faults", {});
    const inv = await inventory(platform);
    const problems = compare(plan, inv);
    const changes = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && n > 0);
    const text = report("20% transient faults + 5% commit-then-drop, 200 resources", {
      seed,
      faultConfig: faults,
      injected: stats.faults,
      requests: stats.requests,
      committedWrites: stats.writes,
      applies: stats.applies,
      runs,
      found: summarize(inv),
      managedInState: managedResources(deployment),
      pendingOperations: (deployment.pending_operations ?? []).length,
      previewChanges: Object.fromEntries(changes),
      problems: problems.length ? problems : "none",
    });
    expect({ lastRun: runs[runs.length - 1].result, problems, previewChanges: changes, report: text }).toMatchObject({ lastRun: "succeeded", problems: [], previewChanges: [] });
    expect(runs[runs.length - 1].result).toBe("succeeded");
    expect(managedResources(deployment)).toBe(plan.resourceCount);
    expect(deployment.pending_operations ?? []).toEqual([]);
    // The faults really happened: every kind was injected at least once.
    expect(stats.faults.reset + stats.faults.error503 + stats.faults.error429).toBeGreaterThan(0);
    expect(stats.faults.dropAfterCommit).toBeGreaterThan(0);
  });
});
