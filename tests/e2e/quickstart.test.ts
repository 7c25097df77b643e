/**
 * `npm run quickstart`, the main job: the runner starts the local platform in the background,
 * deploys the quickstart tenant with both policy packs, and a second run changes nothing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { repoRoot } from "../support/engine";

// Each spawn ends inside its test's (or hook's) timeout, so jest never abandons a running runner.
const spawnTimeoutMs = 300_000;

describe("the quickstart", () => {
  // Inside the repo, so that the dynamic-provider host resolves omnitenant from the stack directory.
  fs.mkdirSync(path.join(repoRoot, ".omnitenant"), { recursive: true });
  const dataDir = fs.mkdtempSync(path.join(repoRoot, ".omnitenant", "quickstart-test-"));
  let env: NodeJS.ProcessEnv;

  const runQuickstart = (...args: string[]) => {
    const out = spawnSync(process.execPath, [path.join(repoRoot, "dist", "examples", "quickstart", "deploy.js"), ...args], {
      env,
      encoding: "utf8",
      timeout: spawnTimeoutMs,
      killSignal: "SIGKILL",
    });
    return { status: out.status, output: `${out.stdout}\n${out.stderr}` };
  };

  beforeAll(async () => {
    // Port 0: the platform binds a free port itself and the runner reads it back from platform.json.
    env = { ...process.env, OMNITENANT_DATA_DIR: dataDir, OMNITENANT_PORT: "0" };
  });
  afterAll(() => {
    if (fs.existsSync(path.join(dataDir, "platform.json"))) runQuickstart("--destroy");
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, spawnTimeoutMs + 60_000);

  it("deploys the tenant with both policy packs, and a second run changes nothing", async () => {
    const first = runQuickstart();
    expect({ status: first.status, output: first.output }).toMatchObject({ status: 0 });
    expect(first.output).toContain("omnitenant quickstart: 18 create");
    expect(first.output).toMatch(/✅ least-privilege@v[\d.]+/);
    expect(first.output).toMatch(/✅ quotas@v[\d.]+/);
    expect(first.output).toContain("resources:");
    for (const count of ["1 Tenant", "2 Queue", "5 Agent", "4 Extension", "1 UserGroup", "1 IncomingNumber", "3 IntegrationCredential"]) {
      expect(first.output).toContain(count);
    }

    const connection = JSON.parse(fs.readFileSync(path.join(dataDir, "platform.json"), "utf8"));
    const tenants = (await (await fetch(`${connection.url}/v1/tenants`, { headers: { authorization: `Bearer ${connection.operatorToken}` } })).json()) as { items: Array<{ fqdn: string; reserved: boolean }> };
    // The management instance is listed too, marked reserved; the customers are the rest.
    expect(tenants.items.filter((t) => !t.reserved).map((t) => t.fqdn)).toEqual(["acme.pbx.example.com"]);

    const second = runQuickstart();
    expect(second.status).toBe(0);
    expect(second.output).toContain("omnitenant quickstart: no changes");

    const teardown = runQuickstart("--destroy");
    expect(teardown.status).toBe(0);
    expect(teardown.output).toContain("The quickstart tenant is deleted and the local platform is stopped.");
    expect(fs.existsSync(path.join(dataDir, "platform.json"))).toBe(false);
  }, 3 * spawnTimeoutMs + 60_000);
});
