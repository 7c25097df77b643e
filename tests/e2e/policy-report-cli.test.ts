/**
 * `npx omnitenant policy-report` on a project directory (examples/quickstart), through the real CLI:
 * a pass with the quickstart's policy config, a fail with exit code 1 when the grants are missing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../support/engine";

// Each spawn ends well inside its test's timeout, so jest never abandons a running CLI.
const spawnTimeoutMs = 180_000;
const testTimeoutMs = spawnTimeoutMs + 60_000;

describe("omnitenant policy-report", () => {
  // A copy of the quickstart, so that the stack file the CLI writes never lands in the tracked
  // examples/; under the repository (ignored .omnitenant/), so that `omnitenant` still resolves.
  fs.mkdirSync(path.join(repoRoot, ".omnitenant"), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(repoRoot, ".omnitenant", "report-"));
  const project = path.join(scratch, "quickstart");
  fs.cpSync(path.join(repoRoot, "examples", "quickstart"), project, { recursive: true });
  const stack = `report-${process.pid}`;
  const out = path.join(scratch, "out");
  const stateDir = path.join(scratch, "state");
  fs.mkdirSync(stateDir);

  const report = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, "bin", "omnitenant.js"), "policy-report", "--dir", project, "--stack", stack, "--create", ...args], {
      encoding: "utf8",
      env: { ...process.env, PULUMI_BACKEND_URL: `file://${stateDir}` },
      timeout: spawnTimeoutMs,
      killSignal: "SIGKILL",
    });

  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("passes the quickstart with its policy config and writes the report", () => {
    const config = path.join(project, "policy-config");
    const run = report("--least-privilege-config", path.join(config, "least-privilege.json"), "--quotas-config", path.join(config, "quotas.json"), "--out", path.join(out, "pass"));
    expect({ status: run.status, output: run.stdout + run.stderr }).toMatchObject({ status: 0 });
    expect(run.stdout).toContain("PASS: 17 resources checked, 0 mandatory");
    const json = JSON.parse(fs.readFileSync(path.join(out, "pass.json"), "utf8"));
    expect(json.summary.result).toBe("pass");
    expect(json.packs.map((p: { name: string }) => p.name).sort()).toEqual(["least-privilege", "quotas"]);
    expect(fs.readFileSync(path.join(out, "pass.md"), "utf8")).toContain("# Policy compliance report: PASS");
  }, testTimeoutMs);

  it("fails with exit code 1 and names the violations when the grants are missing", () => {
    const run = report("--out", path.join(out, "fail"));
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/FAIL: 17 resources checked, [1-9]\d* mandatory/);
    const json = JSON.parse(fs.readFileSync(path.join(out, "fail.json"), "utf8"));
    const policies = json.violations.map((v: { policy: string }) => v.policy);
    expect(policies).toEqual(expect.arrayContaining(["agent-roles", "portal-permissions"]));
    const roles = json.violations.find((v: { policy: string }) => v.policy === "agent-roles");
    expect(roles.message).toContain("lea.martin");
  }, testTimeoutMs);
});
