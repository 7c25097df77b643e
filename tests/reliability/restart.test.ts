/**
 * Interruptions in the middle of a deployment, and the run that follows:
 *  - the platform restarted (closed, then started again on the same data file, behind the one
 *    address the provider knows) while an `up` runs: the deployment, or a re-run, converges with
 *    nothing duplicated and nothing lost;
 *  - the deployment's whole process tree (the process running `pulumi up`, the Pulumi CLI, its
 *    language and provider hosts) SIGKILLed at once in the middle of a bigger deployment, as in a
 *    crash, then the deployment re-run: it converges the same way.
 */
import * as fs from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { createTestStack, outputCollector, testStacksDir, type TestStack } from "../support/engine";
import { startRunner, type Runner } from "../support/runner";
import { stillRunning } from "../support/process-tree";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy";
import { fleetPlan, fleetProgram, omnitenantFactory } from "../bench/programs/fleet";
import { call, compare, inventory, managedResources, report, summarize } from "./helpers";

jest.setTimeout(240_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


async function waitForWrites(platform: TestPlatform, atLeast: number, stillRunning: () => boolean, timeoutMs = 120_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let writes = 0;
  while (Date.now() < deadline && stillRunning()) {
    writes = (await call(platform, "GET", "/v1/admin/stats")).body.writes;
    if (writes >= atLeast) break;
    await sleep(100);
  }
  return writes;
}

describe("a platform restarted in the middle of a deployment", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "omnitenant-restart-"));
  const dataFile = path.join(dir, "platform.db");
  let platform: TestPlatform;
  let test: TestStack | undefined;
  // The provider's address: a proxy to the platform's current port (undefined while it is down).
  let platformPort: number | undefined;
  let proxy: TcpProxy;
  const plan = fleetPlan(100, `restart-${Date.now().toString(36)}`);

  beforeAll(async () => {
    // Every request a little slow, so that the restart lands while creates are in flight.
    platform = await startTestPlatform({ dataFile, faults: { latency: 1, latencyMs: 100 } });
    platformPort = Number(new URL(platform.url).port);
    proxy = await startTcpProxy(() => platformPort);
  });
  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await proxy?.close();
    await platform?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it("converges: the deployment (or its re-run) ends with exactly the declared objects", async () => {
    test = await createTestStack({
      name: "restart",
      platform: { url: proxy.url, operatorToken: platform.operatorToken },
      program: async () => void fleetProgram(plan, omnitenantFactory, { dependOnTargets: true }),
      config: { "omnitenant:maxAttempts": "10" },
    });
    const out = outputCollector();
    let running = true;
    const first = test.stack.up({ onOutput: out.onOutput }).then(
      (r) => ({ result: r.summary.result as string, error: undefined as string | undefined }),
      (err: Error) => ({ result: "failed", error: err.message.slice(-1500) }),
    );
    void first.finally(() => (running = false));

    const writesBefore = await waitForWrites(platform, 25, () => running);
    const stillRunningAtRestart = running;
    // Down for a moment (an outage of 1.5 s, not a wait for anything): requests in flight are cut,
    // new ones are refused and retried; then the platform comes back on a port of its own.
    platformPort = undefined;
    await platform.close();
    await sleep(1500);
    platform = await startTestPlatform({ dataFile });
    platformPort = Number(new URL(platform.url).port);
    const firstRun = await first;
    const runs = [firstRun];
    if (firstRun.result !== "succeeded") {
      const again = await test.stack.up({ onOutput: out.onOutput });
      runs.push({ result: again.summary.result, error: undefined });
    }
    const deployment = (await test.stack.exportStack()).deployment;
    const preview = await test.stack.preview();
    const inv = await inventory(platform);
    const problems = compare(plan, inv);
    const changes = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && n > 0);
    const text = report("platform restarted mid-deployment, 100 resources", {
      injected: `close at ${writesBefore} committed writes (deployment still running: ${stillRunningAtRestart}), 1.5 s down, restart on ${dataFile} (port ${platformPort}, behind ${proxy.url})`,
      writesAfterRestart: (await call(platform, "GET", "/v1/admin/stats")).body.writes,
      runs,
      found: summarize(inv),
      managedInState: managedResources(deployment),
      previewChanges: Object.fromEntries(changes),
      problems: problems.length ? problems : "none",
    });
    expect({ stillRunningAtRestart, lastRun: runs[runs.length - 1].result, problems, previewChanges: changes, report: text }).toMatchObject({
      stillRunningAtRestart: true,
      lastRun: "succeeded",
      problems: [],
      previewChanges: [],
    });
    expect(managedResources(deployment)).toBe(plan.resourceCount);
    expect(deployment.pending_operations ?? []).toEqual([]);
  });
});

describe("a Pulumi process killed in the middle of a bigger deployment", () => {
  let platform: TestPlatform;
  let resumed: TestStack | undefined;
  let runner: Runner | undefined;
  const id = `killed-${Date.now().toString(36)}`;
  const plan = fleetPlan(250, `killed-${Date.now().toString(36)}`);

  beforeAll(async () => {
    platform = await startTestPlatform({ faults: { latency: 1, latencyMs: 100 } });
  });
  afterAll(async () => {
    await runner?.dispose();
    await resumed?.dispose().catch(() => undefined);
    // The runner's stack folder, also when the test failed before the re-run took it over.
    fs.rmSync(path.join(testStacksDir, id), { recursive: true, force: true });
    await platform?.dispose();
  });

  it("is finished by the re-run: exactly the declared objects, nothing pending", async () => {
    const run = (runner = startRunner({
      workDir: path.join(testStacksDir, id),
      stackName: id,
      projectName: "omnitenant-e2e",
      endpoint: platform.url,
      token: platform.operatorToken,
      program: { kind: "fleet", resources: plan.resourceCount, prefix: plan.prefix },
    }));

    // Kill about halfway through (of ~330 writes): tenants, queues and agents made, PBX objects being written and applied.
    const writesAtKill = await waitForWrites(platform, 150, () => run.running(), 180_000);
    const runnerStillRunning = run.running();
    const killed = runnerStillRunning ? await run.crash() : [];
    expect(stillRunning(killed)).toEqual([]);
    const statsAtKill = (await call(platform, "GET", "/v1/admin/stats")).body;

    await call(platform, "PUT", "/v1/admin/faults", {});
    resumed = await createTestStack({ id, platform, program: async () => void fleetProgram(plan, omnitenantFactory, { dependOnTargets: true }) });
    const out = outputCollector();
    let rerun: string;
    try {
      rerun = (await resumed.stack.up({ onOutput: out.onOutput })).summary.result;
    } catch (err) {
      rerun = `failed: ${(err as Error).message.slice(-1500)}`;
    }
    const deployment = (await resumed.stack.exportStack()).deployment;
    const preview = await resumed.stack.preview();
    const inv = await inventory(platform);
    const problems = compare(plan, inv);
    const changes = Object.entries(preview.changeSummary).filter(([op, n]) => op !== "same" && n > 0);
    const text = report("Pulumi process SIGKILLed mid-deployment, 250 resources", {
      injected: `SIGKILL of the deployment's process tree (${killed.length} processes) at ${writesAtKill} committed writes (runner still running: ${runnerStillRunning})`,
      platformAtKill: { writes: statsAtKill.writes, applies: statsAtKill.applies, requests: statsAtKill.requests.total },
      rerun,
      found: summarize(inv),
      managedInState: managedResources(deployment),
      pendingOperations: (deployment.pending_operations ?? []).length,
      previewChanges: Object.fromEntries(changes),
      problems: problems.length ? problems : "none",
      runnerOutputTail: runnerStillRunning ? "(killed)" : run.output().slice(-800),
      killed: killed.map((p) => p.command.slice(0, 120)),
    });
    expect({ runnerStillRunning, rerun, problems, previewChanges: changes, report: text }).toMatchObject({
      runnerStillRunning: true,
      rerun: "succeeded",
      problems: [],
      previewChanges: [],
    });
    expect(writesAtKill).toBeLessThan(plan.resourceCount);
    expect(killed.some((p) => /pulumi-resource-pulumi-nodejs|dynamic/.test(p.command))).toBe(true); // the provider host went down too
    expect(managedResources(deployment)).toBe(plan.resourceCount);
    expect(deployment.pending_operations ?? []).toEqual([]);
  });
});
