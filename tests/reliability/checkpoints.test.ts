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
import { readdirSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { openStack } from "../../automation/engine";
import { fleetPlan } from "../bench/programs/fleet";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { fleetOf, type CheckpointsRunnerInput } from "./checkpoints-runner";
import { call, compare, inventory, managedResources, report, summarize } from "./helpers";

jest.setTimeout(20 * 60_000);

const repoRoot = path.resolve(__dirname, "..", "..");
const RESOURCES = 200;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// the process tree of a deployment, from /proc

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
  } catch {
    return undefined; // gone
  }
}

function descendantsOf(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = parentOf(Number(entry));
    if (ppid !== undefined) children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
  }
  const out: number[] = [];
  const todo = [root];
  while (todo.length) for (const c of children.get(todo.pop()!) ?? []) out.push(c), todo.push(c);
  return out;
}

const commandOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ").trim();
  } catch {
    return "";
  }
};

/** Running: neither gone nor a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

/**
 * SIGKILLs a process and all its descendants, whatever their process group. The tree is frozen
 * (SIGSTOP) while it is walked, so that nothing forks, exits or is re-parented between the walk and
 * the kill. Returns the command lines of what was killed.
 */
async function killTree(root: number): Promise<string[]> {
  const tree = new Set([root]);
  for (let grown = true; grown; ) {
    for (const pid of tree) {
      try {
        process.kill(pid, "SIGSTOP");
      } catch {
        // gone already
      }
    }
    grown = false;
    for (const pid of descendantsOf(root)) if (!tree.has(pid)) (tree.add(pid), (grown = true));
  }
  const commands = [...tree].map(commandOf);
  for (const pid of tree) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // gone already
    }
  }
  const deadline = Date.now() + 30_000;
  while ([...tree].some(alive) && Date.now() < deadline) await sleep(50);
  const survivors = [...tree].filter(alive);
  if (survivors.length) throw new Error(`still running after SIGKILL: ${survivors.map((p) => `${p} ${commandOf(p)}`).join("; ")}`);
  return commands;
}

// ---------------------------------------------------------------------------------------------

interface KillPoint {
  name: string;
  /** Platform faults during this run (cleared after the kill). */
  faults?: Record<string, unknown>;
  /** Kill when this holds of the platform's write counter and pending changes. */
  when: (s: { writes: number; pending: number }) => boolean;
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
  afterAll(async () => {
    await platform?.dispose();
    rmSync(workDir, { recursive: true, force: true });
  });

  /** Changes saved but not applied, over every tenant of the plan that exists. */
  async function pendingChanges(): Promise<number> {
    let n = 0;
    for (const t of (await call(platform, "GET", `/v1/tenants?limit=500`)).body.items as Array<{ tenantId: string; fqdn: string }>) {
      if (!t.fqdn.startsWith(id)) continue;
      n += (await call(platform, "GET", `/v1/tenants/${t.tenantId}/changes?limit=500`)).body.items.length;
    }
    return n;
  }

  /** Starts the runner, kills its tree when `point.when` holds; returns what the kill found. */
  async function runAndKill(point: KillPoint) {
    await call(platform, "PUT", "/v1/admin/faults", point.faults ?? {});
    const runner: ChildProcess = spawn(process.execPath, [path.join(repoRoot, "dist", "tests", "reliability", "checkpoints-runner.js")], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, OMNITENANT_CHECKPOINTS_RUNNER: JSON.stringify(input) },
    });
    let output = "";
    runner.stdout!.on("data", (d) => (output += d));
    runner.stderr!.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => runner.on("exit", resolve));
    const deadline = Date.now() + 10 * 60_000;
    let at = { writes: 0, pending: 0 };
    let met = false;
    while (Date.now() < deadline && runner.exitCode === null) {
      if (output.includes("ready\n")) {
        at = { writes: (await call(platform, "GET", "/v1/admin/stats")).body.writes, pending: await pendingChanges() };
        if ((met = point.when(at))) break;
      }
      await sleep(25);
    }
    if (!met || runner.exitCode !== null) throw new Error(`${point.name}: the run ended (exit ${runner.exitCode}) before the kill point (last seen ${JSON.stringify(at)})\n${output.slice(-3000)}`);
    const killed = await killTree(runner.pid!);
    await exited;
    await call(platform, "PUT", "/v1/admin/faults", {});
    // Requests the platform received before the kill still run to their end (a held POST included):
    // wait until its write counter stops moving before looking at what the kill left.
    for (let last = -1, now = at.writes; now !== last; ) {
      await sleep(700);
      [last, now] = [now, (await call(platform, "GET", "/v1/admin/stats")).body.writes];
    }
    const inv = await inventory(platform);
    return { at, killed, inv, output };
  }

  it(`ends with exactly the declared ${RESOURCES} resources after three kills, and no change to preview`, async () => {
    let lastWrites = 0;
    const points: KillPoint[] = [
      { name: "early", when: (s) => s.writes >= 25 },
      {
        name: "between a create and its apply",
        // Every POST (creates and applies) held 300 ms before the platform handles it: a saved change
        // waits at least that long for its apply, and the kill lands in that window.
        faults: { latency: 1, latencyMs: 300, methods: ["POST"] },
        when: (s) => s.writes >= lastWrites + 10 && s.pending > 0,
      },
      { name: "late", when: (s) => s.writes >= 150 && s.writes >= lastWrites + 10 },
    ];
    const kills: Array<Record<string, unknown>> = [];
    for (const point of points) {
      let k = await runAndKill(point);
      let pendingAfter = [...k.inv.pending.values()].reduce((s, n) => s + n, 0);
      // Between a create and its apply: if the apply that was on its way landed all the same, the
      // kill came too late for this point; kill the next run there instead (twice at most).
      for (let again = 0; point.faults && pendingAfter === 0 && again < 2; again++) {
        kills.push({ point: `${point.name} (missed: its apply was already sent)`, at: k.at });
        lastWrites = k.at.writes;
        k = await runAndKill(point);
        pendingAfter = [...k.inv.pending.values()].reduce((s, n) => s + n, 0);
      }
      lastWrites = k.at.writes;
      kills.push({ point: point.name, at: k.at, pendingAfterKill: pendingAfter, platform: summarize(k.inv), killed: k.killed.map((c) => c.split(" ").slice(0, 2).join(" ")) });
      // The whole tree went: the CLI and the dynamic-provider host (its own process group) with the runner.
      expect(k.killed.some((c) => /pulumi/.test(c) && /\bup\b/.test(c))).toBe(true);
      expect(k.killed.some((c) => /pulumi-resource-pulumi-nodejs|dynamic-provider/.test(c))).toBe(true);
      // The kill between a create and its apply is proved by what it left: saved changes never applied.
      if (point.faults) expect({ point: point.name, pendingAfterKill: pendingAfter > 0, at: k.at }).toEqual({ point: point.name, pendingAfterKill: true, at: k.at });
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
