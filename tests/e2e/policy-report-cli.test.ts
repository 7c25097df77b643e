/**
 * `npx omnitenant policy-report` on a project directory (examples/quickstart), through the real CLI:
 * a pass with the quickstart's policy config, a fail with exit code 1 when the grants are missing,
 * and a fail for a program that declares nothing (a report that checked nothing must not pass).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../support/engine";
import { linkOmnitenant } from "./program-folder-workflow";

// Each spawn ends well inside its test's timeout, so jest never abandons a running CLI.
const spawnTimeoutMs = 180_000;
const testTimeoutMs = spawnTimeoutMs + 60_000;

describe("omnitenant policy-report", () => {
  fs.mkdirSync(path.join(repoRoot, ".omnitenant"), { recursive: true });
  const scratch = fs.mkdtempSync(path.join(repoRoot, ".omnitenant", "report-"));
  const out = path.join(scratch, "out");
  const stateDir = path.join(scratch, "state");
  fs.mkdirSync(stateDir);
  // A copy of the quickstart project (the checkout stays untouched: the CLI writes the stack file,
  // Pulumi.<stack>.yaml, into the project), with omnitenant linked as `npm install` links it.
  const source = path.join(repoRoot, "examples", "quickstart");
  const project = path.join(scratch, "quickstart");
  fs.cpSync(source, project, { recursive: true, filter: (f) => !/node_modules|Pulumi\.[^/]+\.yaml$/.test(path.relative(source, f)) });
  linkOmnitenant(project, repoRoot);
  const stack = `report-${process.pid}`;

  const reportOn = (dir: string, ...args: string[]) =>
    spawnSync(process.execPath, [path.join(repoRoot, "bin", "omnitenant.js"), "policy-report", "--dir", dir, "--stack", stack, "--create", ...args], {
      encoding: "utf8",
      env: { ...process.env, PULUMI_BACKEND_URL: `file://${stateDir}` },
      timeout: spawnTimeoutMs,
      killSignal: "SIGKILL",
    });
  const report = (...args: string[]) => reportOn(project, ...args);

  afterAll(() => {
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("passes the quickstart with its policy config and writes the report", () => {
    const config = path.join(project, "policy-config");
    const run = report("--least-privilege-config", path.join(config, "least-privilege.json"), "--quotas-config", path.join(config, "quotas.json"), "--out", path.join(out, "pass"));
    expect({ status: run.status, output: run.stdout + run.stderr }).toMatchObject({ status: 0 });
    expect(run.stdout).toContain("PASS: 17 resources checked, 0 mandatory");
    // The stack file went into the copy, not into the checkout.
    expect([fs.existsSync(path.join(project, `Pulumi.${stack}.yaml`)), fs.existsSync(path.join(source, `Pulumi.${stack}.yaml`))]).toEqual([true, false]);
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

  it("fails with exit code 1 and says why when the program declares no resources", () => {
    // A project whose program declares nothing: the preview checks no resource, which proves nothing.
    const empty = path.join(scratch, "empty-program");
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, "Pulumi.yaml"), "name: empty-program\nruntime: nodejs\nmain: index.js\n");
    fs.writeFileSync(path.join(empty, "index.js"), "// declares no resources\n");
    const run = reportOn(empty, "--out", path.join(out, "empty"));
    expect({ status: run.status, output: run.stdout + run.stderr }).toMatchObject({ status: 1 });
    expect(run.stdout).toContain("FAIL: 0 resources checked");
    expect(run.stdout).toContain("error: nothing was checked: the program declared no resources");
    const json = JSON.parse(fs.readFileSync(path.join(out, "empty.json"), "utf8"));
    expect(json.summary.result).toBe("fail");
    expect(json.nothingChecked).toMatchObject({ code: "no-resources", resourcesPlanned: 0 });
  }, testTimeoutMs);
});
