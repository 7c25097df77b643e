/**
 * A deployment killed in the middle (SIGKILL of the process running `pulumi up`, the CLI with it)
 * is finished by the next `up`: every declared object exists exactly once, nothing is left pending.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { startTestPlatform, type TestPlatform as Platform } from "../support/platform";
import { createTestStack, repoRoot, testStacksDir, type TestStack } from "../support/engine";
import { smallTenant, smallTenantResourceCount, type SmallTenantVariant } from "../support/programs/small-tenant";



describe("an interrupted deployment", () => {
  let platform: Platform;
  let resumed: TestStack | undefined;
  const variant: SmallTenantVariant = { fqdn: "e2e-interrupted.pbx.example.com" };

  beforeAll(async () => {
    // Every request is slow, so that the kill lands while creates are in flight.
    platform = await startTestPlatform({ faults: { latency: 1, latencyMs: 400 } });
  });
  afterAll(async () => {
    await resumed?.dispose().catch(() => undefined);
    await platform?.close();
  });

  it("is finished by the next up, with nothing duplicated and nothing pending", async () => {
    const id = `interrupted-${Date.now().toString(36)}`;
    const runner = spawn(process.execPath, [path.join(repoRoot, "dist", "tests", "support", "stack-runner.js")], {
      detached: true, // its own process group: the kill takes the Pulumi CLI with it
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        OMNITENANT_RUNNER: JSON.stringify({
          workDir: path.join(testStacksDir, id),
          stackName: id,
          projectName: "omnitenant-e2e",
          endpoint: platform.url,
          token: platform.operatorToken,
          program: { kind: "small-tenant", variant },
        }),
      },
    });
    let runnerOutput = "";
    runner.stdout.on("data", (d) => (runnerOutput += d));
    runner.stderr.on("data", (d) => (runnerOutput += d));
    const exited = new Promise<number | null>((resolve) => runner.on("exit", resolve));

    // Kill once the tenant exists and some children are being written, before the deployment ends.
    const deadline = Date.now() + 90_000;
    let writesAtKill = 0;
    while (Date.now() < deadline && runner.exitCode === null) {
      writesAtKill = (await platform.api("GET", "/v1/admin/stats")).body.writes;
      if (writesAtKill >= 4) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect({ writesAtKill, runnerStillRunning: runner.exitCode === null, runnerOutput }).toMatchObject({ runnerStillRunning: true });
    process.kill(-runner.pid!, "SIGKILL");
    await exited;

    await platform.api("PUT", "/v1/admin/faults", {});
    resumed = await createTestStack({ id, platform, program: async () => smallTenant(variant) });
    const result = await resumed.stack.up();
    expect(result.summary.result).toBe("succeeded");

    const tenants = (await platform.api("GET", `/v1/tenants?fqdn=${variant.fqdn}`)).body.items;
    expect(tenants).toHaveLength(1);
    const tenantId = tenants[0].tenantId;
    const count = async (collection: string) => (await platform.api("GET", `/v1/tenants/${tenantId}/${collection}?limit=500`)).body.items.length;
    expect(await count("queues")).toBe(3); // Default + 2 declared
    expect(await count("agents")).toBe(3);
    expect(await count("extensions")).toBe(3);
    expect(await count("user-groups")).toBe(1);
    expect(await count("incoming-numbers")).toBe(1);
    expect(await count("integrations")).toBe(3);
    expect((await platform.api("GET", `/v1/tenants/${tenantId}/changes`)).body.items).toEqual([]);

    const deployment = (await resumed.stack.exportStack()).deployment;
    const managed = deployment.resources.filter((r: { type: string }) => r.type.startsWith("pulumi-nodejs:dynamic/omnitenant:"));
    expect(managed).toHaveLength(smallTenantResourceCount);
    expect(deployment.pending_operations ?? []).toEqual([]);

    const again = await resumed.stack.up();
    expect(Object.keys(again.summary.resourceChanges ?? {}).filter((op) => op !== "same")).toEqual([]);
  });
});
