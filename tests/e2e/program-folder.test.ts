/**
 * examples/quickstart as a program folder under Pulumi's Node.js language host: a copy (the
 * checkout's files stay untouched) linked to this checkout as `npm install` there links it, then
 * `pulumi stack init`, `config set`, `up`, `preview --policy-pack …`, `destroy` against a platform.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { expectOk, workflow, type Workflow } from "./program-folder-workflow";

jest.setTimeout(15 * 60_000);

const repoRoot = path.resolve(__dirname, "..", "..");
const source = path.join(repoRoot, "examples", "quickstart");
// Inside the checkout's ignored .omnitenant/, so that @pulumi/pulumi and ts-node resolve from the
// checkout's node_modules, as they do for `cd examples/quickstart && pulumi up`.
const dir = path.join(repoRoot, ".omnitenant", `program-folder-${process.pid}`);
let platform: TestPlatform;
let w: Workflow;

beforeAll(async () => {
  platform = await startTestPlatform();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(source, dir, { recursive: true, filter: (f) => !/node_modules|Pulumi\.[^/]+\.yaml$/.test(path.relative(source, f)) });
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
  expect(manifest.dependencies.omnitenant).toBe("file:../..");
  manifest.dependencies.omnitenant = `file:${repoRoot}`;
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2));
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, encoding: "utf8" });
  expect({ status: install.status, stderr: install.stderr }).toMatchObject({ status: 0 });
  w = await workflow(dir, path.join(dir, "state"));
});

afterAll(async () => {
  await platform?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tenantsWithFqdn = async (fqdn: string) => (await platform.api("GET", `/v1/tenants?fqdn=${fqdn}`)).body.items as Array<{ tenantId: string }>;

it("runs under the Node.js language host beside the CLI", () => {
  expect(w.languageHost).toBe(true);
});

it("deploys the quickstart tenant with pulumi up, checks it with both packs, and destroys it", async () => {
  const config = path.join(dir, "policy-config");
  const steps: Array<[string, string[]]> = [
    ["init", ["stack", "init", "dev"]],
    ["endpoint", ["config", "set", "omnitenant:endpoint", platform.url]],
    ["token", ["config", "set", "--secret", "omnitenant:token", platform.operatorToken]],
  ];
  for (const [name, args] of steps) expect({ step: name, ...(await w.pulumi(args)) }).toMatchObject({ step: name, status: 0 });
  const stackFile = fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
  expect(stackFile).toContain("secure:");
  expect(stackFile).not.toContain(platform.operatorToken);

  const up = await w.pulumi(["up", "--yes", "--skip-preview"]);
  expectOk(up);
  expect(up.output).toContain("+ 18 created"); // 17 omnitenant resources and the stack
  const [tenant] = await tenantsWithFqdn("acme.pbx.example.com");
  expect(tenant).toBeDefined();
  const outputs = JSON.parse((await w.pulumi(["stack", "output", "--json"])).stdout);
  expect(outputs.tenantId).toBe(tenant.tenantId);

  const packs = ["least-privilege", "quotas"].flatMap((p) => ["--policy-pack", path.join(repoRoot, "policies", p), "--policy-pack-config", path.join(config, `${p}.json`)]);
  const preview = await w.pulumi(["preview", ...packs]);
  expectOk(preview);
  expect(preview.output).toContain("least-privilege");
  // The same preview without the quickstart's grants: the packs really ran, and block it.
  const bare = await w.pulumi(["preview", "--policy-pack", path.join(repoRoot, "policies", "least-privilege"), "--policy-pack", path.join(repoRoot, "policies", "quotas")]);
  expect(bare.status).not.toBe(0);
  expect(bare.output).toContain("agent-roles");

  const destroy = await w.pulumi(["destroy", "--yes", "--skip-preview"]);
  expectOk(destroy);
  expect(await tenantsWithFqdn("acme.pbx.example.com")).toEqual([]);
});
