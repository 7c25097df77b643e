/**
 * `npm run quickstart`, the main job: the runner starts the local platform in the background,
 * deploys the quickstart tenant with both policy packs, and a second run changes nothing.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "../support/engine";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

describe("the quickstart", () => {
  // Inside the repo, so that the dynamic-provider host resolves omnitenant from the stack directory.
  const dataDir = fs.mkdtempSync(path.join(repoRoot, ".omnitenant", "quickstart-test-"));
  let env: NodeJS.ProcessEnv;

  const runQuickstart = (...args: string[]) => {
    const out = spawnSync(process.execPath, [path.join(repoRoot, "dist", "examples", "quickstart", "deploy.js"), ...args], {
      env,
      encoding: "utf8",
      timeout: 300_000,
    });
    return { status: out.status, output: `${out.stdout}\n${out.stderr}` };
  };

  beforeAll(async () => {
    env = { ...process.env, OMNITENANT_DATA_DIR: dataDir, OMNITENANT_PORT: String(await freePort()) };
  });
  afterAll(() => {
    runQuickstart("--destroy");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

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
    const tenants = await (await fetch(`${connection.url}/v1/tenants`, { headers: { authorization: `Bearer ${connection.operatorToken}` } })).json();
    // The management instance is listed too, marked reserved; the customers are the rest.
    expect(tenants.items.filter((t: { reserved: boolean }) => !t.reserved).map((t: { fqdn: string }) => t.fqdn)).toEqual(["acme.pbx.example.com"]);

    const second = runQuickstart();
    expect(second.status).toBe(0);
    expect(second.output).toContain("omnitenant quickstart: no changes");

    const teardown = runQuickstart("--destroy");
    expect(teardown.status).toBe(0);
    expect(teardown.output).toContain("The quickstart tenant is deleted and the local platform is stopped.");
    expect(fs.existsSync(path.join(dataDir, "platform.json"))).toBe(false);
  });
});
