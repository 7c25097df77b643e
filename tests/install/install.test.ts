/**
 * Installed as a user installs it: the packed tarball, `--omit=dev`, an empty folder outside the
 * repository. Every command the CLI registers answers `--help` there, and `platform`, `provision`,
 * `drift`, `policy-report` and a program using the SDK run for real against the installed platform.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildProgram } from "../../cli/index";
import { api, type Api } from "../support/platform";
import { installPacked, type Installed } from "./packed";

jest.setTimeout(20 * 60_000);

const operatorToken = "omo_install_test_operator_token";
let installed: Installed;
let platform: ChildProcess | undefined;
let endpoint: string;
let call: Api;
let work: string;

const omnitenant = (args: string[], cwd = work, env: NodeJS.ProcessEnv = {}) =>
  spawnSync(installed.bin, args, { cwd, encoding: "utf8", env: { ...installed.env, ...env }, timeout: 10 * 60_000 });

/** Starts `omnitenant platform --port 0` and reads the address it prints. */
function startPlatform(dataFile: string): Promise<string> {
  return new Promise((resolve, reject) => {
    platform = spawn(installed.bin, ["platform", "--port", "0", "--data", dataFile], {
      cwd: work,
      env: { ...installed.env, OMNITENANT_OPERATOR_TOKEN: operatorToken },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    platform.stdout!.on("data", (chunk) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    platform.stderr!.on("data", (chunk) => (out += chunk.toString()));
    platform.on("exit", (code) => reject(new Error(`omnitenant platform exited with ${code}:\n${out}`)));
  });
}

beforeAll(async () => {
  installed = await installPacked();
  work = fs.mkdtempSync(path.join(installed.root, "work-"));
  endpoint = await startPlatform(path.join(work, "platform.db"));
  call = api(endpoint, operatorToken);
});

afterAll(async () => {
  if (platform && platform.exitCode === null) {
    const exited = new Promise((r) => platform!.once("exit", r));
    platform.kill("SIGTERM");
    await exited;
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("ships what users need and nothing else", () => {
    const files = installed.files;
    for (const needed of [
      "LICENSE", "README.md", "package.json", "bin/omnitenant.js", "dist/sdk/index.js", "dist/sdk/index.d.ts", "dist/cli/index.js",
      "dist/provider/tenant.js", "dist/policies/least-privilege/index.js", "policies/least-privilege/PulumiPolicy.yaml",
      "policies/quotas/PulumiPolicy.yaml", "policies/quotas/package.json", "scripts/pulumi-cli.js", "scripts/pulumi-cli.d.ts",
    ]) {
      expect(files).toContain(needed);
    }
    const unwanted = files.filter(
      (f) =>
        /^(tests|examples|\.ci|node_modules|results|scripts\/pulumi-cli\/)/.test(f) ||
        /^dist\/(tests|examples)\//.test(f) ||
        /(\.go|go\.mod|go\.sum|\.map)$/.test(f) ||
        (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)) ||
        /^(jest\.config\.js|tsconfig.*\.json|package-lock\.json)$/.test(f),
    );
    expect(unwanted).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed.root, "node_modules", "omnitenant", "package.json"), "utf8"));
    expect(manifest.private).toBeUndefined();
    expect(manifest.license).toBe("Apache-2.0");
    expect(Object.keys(manifest.dependencies)).not.toContain("omnitenant");
  });

  it("shares the user's single copy of @pulumi/pulumi", () => {
    const copies = spawnSync("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], { cwd: installed.root, encoding: "utf8" });
    const paths = new Set(copies.stdout.trim().split("\n").filter(Boolean));
    expect([...paths]).toEqual([path.join(installed.root, "node_modules", "@pulumi", "pulumi")]);
  });
});

describe("every CLI command, installed", () => {
  const names = buildProgram().commands.map((c) => c.name());

  it("registers the documented commands", () => {
    expect(names).toEqual(expect.arrayContaining(["platform", "policy-report", "provision"]));
  });

  it.each(names)("omnitenant %s --help", (name) => {
    const run = omnitenant([name, "--help"]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: "" });
    expect(run.stdout).toContain(`Usage: omnitenant ${name}`);
  });

  it("platform serves the management API", async () => {
    const res = await call("GET", "/v1/tenants");
    expect(res.status).toBe(200);
    expect(fs.existsSync(path.join(work, "platform.db"))).toBe(true);
  });

  it("a program using the SDK deploys a tenant through the engine and removes it", async () => {
    const program = path.join(work, "inline");
    fs.cpSync(path.join(__dirname, "fixtures", "program"), program, { recursive: true });
    const fqdn = `inline-${process.pid}.pbx.example.com`;
    const env = { OMNITENANT_ENDPOINT: endpoint, OMNITENANT_TOKEN: operatorToken, TENANT_FQDN: fqdn, STATE_DIR: path.join(program, "state") };
    const up = spawnSync(process.execPath, ["inline.js", "up"], { cwd: program, encoding: "utf8", env: { ...installed.env, ...env } });
    expect({ status: up.status, stderr: up.stderr }).toMatchObject({ status: 0 });
    const { tenantId, summary } = JSON.parse(up.stdout.trim().split("\n").pop()!);
    expect(summary.create).toBe(5); // the stack, tenant, queue, agent, extension
    const tenant = await call("GET", `/v1/tenants/${tenantId}`);
    expect(tenant.body.fqdn).toBe(fqdn);
    const destroy = spawnSync(process.execPath, ["inline.js", "destroy"], { cwd: program, encoding: "utf8", env: { ...installed.env, ...env } });
    expect({ status: destroy.status, stderr: destroy.stderr }).toMatchObject({ status: 0 });
    expect((await call("GET", `/v1/tenants/${tenantId}`)).status).toBe(404);
  });

  it("provision deploys a reseller catalogue, and drift finds it in sync", async () => {
    const catalogue = path.join(work, "catalogue.yaml");
    fs.writeFileSync(
      catalogue,
      [
        "reseller:",
        "  name: Install Test Telecom",
        `  domain: pbx-${process.pid}.install.example`,
        "  defaults: { country: US, timeZone: America/New_York, language: en-US, organizationSize: 11-50, adminEmailDomain: ops.install.example }",
        "  plans:",
        "    starter: { maxAgents: 5, diskQuotaGb: 10, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 2, maxCannedMessages: 50, maxExtensions: 5 }",
        "customers:",
        "  - id: initech",
        "    plan: starter",
        "    tenant: { companyName: Initech }",
        "    queues: [{ name: TPS Reports, channel: email }]",
        "    agents: [{ account: peter, firstName: Peter, alias: Peter, email: peter@initech.example.com, queues: [TPS Reports] }]",
        "",
      ].join("\n"),
    );
    const run = omnitenant(["provision", catalogue, "--endpoint", endpoint, "--report", path.join(work, "provision.json")], work, { OMNITENANT_TOKEN: operatorToken });
    expect({ status: run.status, output: run.stdout + run.stderr }).toMatchObject({ status: 0 });
    const report = JSON.parse(fs.readFileSync(path.join(work, "provision.json"), "utf8"));
    expect(report.ok).toBe(true);
    const tenants = await call("GET", `/v1/tenants?fqdn=initech.pbx-${process.pid}.install.example`);
    expect(tenants.body.items).toHaveLength(1);

    // drift over what provision just deployed: the same stacks (the same default places), in sync.
    const drift = omnitenant(["drift", catalogue, "--endpoint", endpoint, "--json"], work, { OMNITENANT_TOKEN: operatorToken });
    expect({ status: drift.status, stderr: drift.stderr }).toMatchObject({ status: 0 });
    expect(JSON.parse(drift.stdout).customers.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([["initech", "in-sync"]]);
  });

  it("policy-report checks a program folder with both packs", () => {
    const program = path.join(work, "report-program");
    fs.cpSync(path.join(__dirname, "fixtures", "program"), program, { recursive: true });
    fs.writeFileSync(path.join(program, "Pulumi.report.yaml"), `config:\n  omnitenant-user-program:fqdn: report-${process.pid}.pbx.example.com\n  omnitenant-user-program:adminPassword: Report-Admin-Password-1\n  omnitenant:endpoint: ${endpoint}\n`);
    const run = omnitenant(["policy-report", "--dir", program, "--stack", "report", "--create", "--out", path.join(work, "report")], work, { OMNITENANT_TOKEN: operatorToken });
    expect({ status: run.status, output: run.stdout + run.stderr }).toMatchObject({ status: 0 });
    expect(run.stdout).toContain("PASS: 4 resources checked, 0 mandatory");
    const report = JSON.parse(fs.readFileSync(path.join(work, "report.json"), "utf8"));
    expect(report.packs.map((p: { name: string }) => p.name).sort()).toEqual(["least-privilege", "quotas"]);
  });
});
