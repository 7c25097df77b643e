/**
 * Deployments without per-step checkpoints (PULUMI_SKIP_CHECKPOINTS=true) are repaired by running
 * them again. Such a run records nothing until it ends, so a run killed in the middle leaves a state
 * that knows nothing of what it created; the re-run creates everything again, and omnitenant's
 * deterministic Idempotency-Keys turn those creates into replays of the first responses.
 *
 * A 200-resource fleet is killed three times — early, between a create and its apply (with the
 * platform's POSTs slowed so that the window is wide, and the kill proved to have landed there by
 * the changes left pending), and late — each time with its whole process tree (runner, Pulumi CLI,
 * and the provider host that Pulumi starts in a process group of its own). Then the deployment is
 * run to its end: the platform must hold exactly the declared objects, once each, all live, the
 * state exactly the declared resources, and a preview must show no change.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openStack } from "../../automation/engine";
import { stateReader } from "../../automation/drift-state";
import { fleetPlan } from "../bench/programs/fleet";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { killTree, processTree } from "../support/process-tree";
import { fleetOf, type CheckpointsRunnerInput } from "./checkpoints-runner";
import { call, compare, inventory, managedResources, report, summarize } from "./helpers";

jest.setTimeout(20 * 60_000);

const repoRoot = path.resolve(__dirname, "..", "..");
const RESOURCES = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const PROVIDER_HOST = /pulumi-resource-pulumi-nodejs|dynamic-provider/;

interface KillPoint {
  name: string;
  /** Platform faults during this run (cleared after the kill). */
  faults?: Record<string, unknown>;
  /**
   * Kill when this holds. `writes` is the platform's write counter, `since` the writes of this run
   * alone (only the provider host writes, so `since > 0` proves it runs), `fresh` the changes saved
   * by this run and not applied yet (changes a previous kill left pending do not count).
   */
  when: (s: { writes: number; since: number; fresh: number }) => boolean;
}

describe("deployments without checkpoints, killed and re-run", () => {
  let platform: TestPlatform;
  const id = `checkpoints-${Date.now().toString(36)}`;
  const workDir = path.join(repoRoot, ".omnitenant", "test-stacks", id);
  const plan = fleetPlan(RESOURCES, id);
  const input: CheckpointsRunnerInput = { workDir, stackName: id, projectName: "omnitenant-checkpoints", endpoint: "", token: "", resources: RESOURCES, prefix: id, parallel: 16 };

  beforeAll(async () => {
    platform = await startTestPlatform();
    input.endpoint = platform.url;
    input.token = platform.operatorToken;
  });
  /** The runner of the current run: killed with its tree in afterAll when a failure left it running. */
  let live: ChildProcess | undefined;

  afterAll(async () => {
    if (live?.pid && live.exitCode === null && live.signalCode === null) await killTree(live.pid);
    await platform?.dispose();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Changes saved but not applied, over every tenant of the plan that exists: tenant/object ids. */
  async function pendingChanges(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const t of (await call(platform, "GET", `/v1/tenants?limit=500`)).body.items as Array<{ tenantId: string; fqdn: string }>) {
      if (!t.fqdn.startsWith(id)) continue;
      for (const c of (await call(platform, "GET", `/v1/tenants/${t.tenantId}/changes?limit=500`)).body.items as Array<{ objectId: string }>) {
        out.add(`${t.tenantId}/${c.objectId}`);
      }
    }
    return out;
  }

  const writes = async (): Promise<number> => (await call(platform, "GET", "/v1/admin/stats")).body.writes;

  /** Waits until the write counter stops moving: requests received before a kill run to their end. */
  async function settledWrites(): Promise<number> {
    let now = await writes();
    for (let last = -1; now !== last; ) {
      await sleep(700);
      [last, now] = [now, await writes()];
    }
    return now;
  }

  /** Starts the runner, kills its tree when `point.when` holds; returns what the kill found. */
  async function runAndKill(point: KillPoint) {
    // This run's baseline, once the previous kill's requests have all landed.
    const base = await settledWrites();
    const pendingBefore = await pendingChanges();
    await call(platform, "PUT", "/v1/admin/faults", point.faults ?? {});
    const runner: ChildProcess = spawn(process.execPath, [path.join(repoRoot, "dist", "tests", "reliability", "checkpoints-runner.js")], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OMNITENANT_CHECKPOINTS_RUNNER: JSON.stringify(input) },
    });
    live = runner;
    let output = "";
    runner.stdout!.on("data", (d) => (output += d));
    runner.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => runner.on("exit", resolve));
    const deadline = Date.now() + 10 * 60_000;
    let at = { writes: base, since: 0, fresh: 0 };
    let met = false;
    while (Date.now() < deadline && runner.exitCode === null) {
      if (output.includes("ready\n")) {
        const [now, pending] = [await writes(), await pendingChanges()];
        at = { writes: now, since: now - base, fresh: [...pending].filter((c) => !pendingBefore.has(c)).length };
        // The provider host must be part of the tree when it goes: a kill while the CLI is still
        // starting would test nothing.
        if ((met = point.when(at) && processTree(runner.pid!).some((p) => PROVIDER_HOST.test(p.command)))) break;
      }
      await sleep(25);
    }
    if (!met || runner.exitCode !== null) throw new Error(`${point.name}: the run ended (exit ${runner.exitCode}) before the kill point (last seen ${JSON.stringify(at)})\n${output.slice(-3000)}`);
    const killed = (await killTree(runner.pid!)).map((p) => p.command);
    await exited;
    live = undefined; // reaped: its pid may be another process's by afterAll
    await call(platform, "PUT", "/v1/admin/faults", {});
    await settledWrites();
    const freshAfter = [...(await pendingChanges())].filter((c) => !pendingBefore.has(c)).length;
    const inv = await inventory(platform);
    return { at, killed, inv, freshAfter, output };
  }

  it(`ends with exactly the declared ${RESOURCES} resources after three kills, and no change to preview`, async () => {
    const points: KillPoint[] = [
      { name: "early", when: (s) => s.since >= 25 },
      {
        name: "between a create and its apply",
        // Every POST (creates and applies) held 300 ms before the platform handles it: a saved change
        // waits at least that long for its apply, and the kill lands in that window.
        faults: { latency: 1, latencyMs: 300, methods: ["POST"] },
        when: (s) => s.since >= 10 && s.fresh > 0,
      },
      { name: "late", when: (s) => s.writes >= 150 && s.since >= 10 },
    ];
    const kills: Array<Record<string, unknown>> = [];
    for (const point of points) {
      let k = await runAndKill(point);
      // Between a create and its apply: if the apply that was on its way landed all the same, the
      // kill came too late for this point; kill the next run there instead (twice at most).
      for (let again = 0; point.faults && k.freshAfter === 0 && again < 2; again++) {
        kills.push({ point: `${point.name} (missed: its apply was already sent)`, at: k.at });
        k = await runAndKill(point);
      }
      const pendingAfter = [...k.inv.pending.values()].reduce((s, n) => s + n, 0);
      kills.push({ point: point.name, at: k.at, pendingAfterKill: pendingAfter, freshPendingAfterKill: k.freshAfter, platform: summarize(k.inv), killed: k.killed.map((c) => c.split(" ").slice(0, 2).join(" ")) });
      // The whole tree went: the CLI and the dynamic-provider host (its own process group) with the runner.
      expect({ point: point.name, cli: k.killed.some((c) => /pulumi/.test(c) && /\bup\b/.test(c)), host: k.killed.some((c) => PROVIDER_HOST.test(c)) }).toEqual({ point: point.name, cli: true, host: true });
      // What the kill left in the state: nothing recorded (no checkpoints), but the dead run's lock,
      // which the drift check reports as an interrupted run.
      const left = await (await stateReader({ projectName: input.projectName, backendUrl: `file://${path.join(workDir, "state")}`, workDir: path.join(workDir, "drift") })).readStack(id);
      expect({ point: point.name, abandonedLock: left.abandonedLock?.hostname, pending: left.pendingOperations }).toEqual({ point: point.name, abandonedLock: os.hostname(), pending: [] });
      // The kill between a create and its apply is proved by what it left: changes this run saved and never applied.
      if (point.faults) expect({ point: point.name, freshPendingAfterKill: k.freshAfter > 0, at: k.at }).toEqual({ point: point.name, freshPendingAfterKill: true, at: k.at });
    }

    // The run that finishes the deployment, as a user would run it: the same program, same stack.
    const stack = await openStack({ projectName: input.projectName, stackName: id, program: fleetOf(input), workDir, endpoint: platform.url, token: platform.operatorToken, env: { PULUMI_SKIP_CHECKPOINTS: "true" } });
    await call(platform, "DELETE", "/v1/admin/stats");
    const final = await stack.up({ parallel: 16 });
    const finalStats = (await call(platform, "GET", "/v1/admin/stats")).body;
    const inv = await inventory(platform);
    const problems = compare(plan, inv);
    const deployment = (await stack.exportStack()).deployment;
    const preview = await stack.preview({ parallel: 16 });
    const previewChanges = Object.fromEntries(Object.entries(preview.changeSummary ?? {}).filter(([op]) => op !== "same"));
    const text = report("checkpoints: killed three times, re-run", {
      kills,
      final: final.summary.result,
      finalChanges: final.summary.resourceChanges,
      finalRequests: finalStats.requests,
      platform: summarize(inv),
      problems,
      managedInState: managedResources(deployment),
      pendingOperations: (deployment.pending_operations ?? []).length,
      previewChanges,
    });
    expect({ result: final.summary.result, problems, text }).toMatchObject({ result: "succeeded", problems: [] });
    expect(managedResources(deployment)).toBe(plan.resourceCount);
    expect(deployment.pending_operations ?? []).toEqual([]);
    expect(previewChanges).toEqual({});
  });
});
