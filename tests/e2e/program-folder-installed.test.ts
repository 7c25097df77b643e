/**
 * A user's own program folder outside the repository, with omnitenant installed from the packed
 * tarball: `pulumi stack init`, `config set` (the token with --secret), `up`, `preview` with the
 * installed policy packs, `destroy` — under Pulumi's Node.js language host.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { installPacked } from "../install/packed";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { expectOk, workflow, type Workflow } from "./program-folder-workflow";

jest.setTimeout(20 * 60_000);

let platform: TestPlatform;
let dir: string;
let w: Workflow;
const fqdn = `folder-${process.pid}.pbx.example.com`;

beforeAll(async () => {
  platform = await startTestPlatform();
  const installed = await installPacked();
  dir = fs.mkdtempSync(path.join(installed.root, "program-"));
  fs.cpSync(path.join(__dirname, "..", "install", "fixtures", "program"), dir, { recursive: true });
  w = await workflow(dir, path.join(dir, "state"));
});

afterAll(async () => {
  await platform?.dispose();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const tenants = async () => (await platform.api("GET", `/v1/tenants?fqdn=${fqdn}`)).body.items as Array<{ tenantId: string }>;

it("deploys, checks and destroys a tenant the way a user does", async () => {
  expect(w.languageHost).toBe(true);
  const steps: Array<[string, string[]]> = [
    ["init", ["stack", "init", "dev"]],
    ["endpoint", ["config", "set", "omnitenant:endpoint", platform.url]],
    ["token", ["config", "set", "--secret", "omnitenant:token", platform.operatorToken]],
    ["fqdn", ["config", "set", "fqdn", fqdn]],
    ["password", ["config", "set", "--secret", "adminPassword", "Folder-Admin-Password-1"]],
  ];
  for (const [name, args] of steps) expect({ step: name, ...(await w.pulumi(args)) }).toMatchObject({ step: name, status: 0 });

  const up = await w.pulumi(["up", "--yes", "--skip-preview"]);
  expectOk(up);
  const [tenant] = await tenants();
  expect(JSON.parse((await w.pulumi(["stack", "output", "--json"])).stdout).tenantId).toBe(tenant.tenantId);

  const packs = path.join(dir, "..", "node_modules", "omnitenant", "policies");
  const preview = await w.pulumi(["preview", "--policy-pack", path.join(packs, "least-privilege"), "--policy-pack", path.join(packs, "quotas")]);
  expectOk(preview);
  expect(preview.output).toMatch(/least-privilege/);

  const destroy = await w.pulumi(["destroy", "--yes", "--skip-preview"]);
  expectOk(destroy);
  expect(await tenants()).toEqual([]);
});
