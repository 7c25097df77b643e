/**
 * A deployment killed in the middle — the whole process tree at once, as in a crash: the process
 * running `pulumi up`, the Pulumi CLI, its language and provider hosts — is finished by the next
 * `up`: every declared object exists exactly once, nothing is left pending.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { startTestPlatform, type TestPlatform as Platform } from "../support/platform";
import { createTestStack, testStacksDir, type TestStack } from "../support/engine";
import { startRunner, type Runner } from "../support/runner";
import { stillRunning } from "../support/process-tree";
import { smallTenant, smallTenantResourceCount, type SmallTenantVariant } from "../support/programs/small-tenant";

describe("an interrupted deployment", () => {
  let platform: Platform;
  let resumed: TestStack | undefined;
  let runner: Runner | undefined;
  const id = `interrupted-${Date.now().toString(36)}`;
  const variant: SmallTenantVariant = { fqdn: "e2e-interrupted.pbx.example.com" };

  beforeAll(async () => {
    // Every request is slow, so that the kill lands while creates are in flight.
    platform = await startTestPlatform({ faults: { latency: 1, latencyMs: 400 } });
  });
  afterAll(async () => {
    await runner?.dispose();
    await resumed?.dispose().catch(() => undefined);
    // The runner's stack folder, also when the test failed before the re-run took it over.
    fs.rmSync(path.join(testStacksDir, id), { recursive: true, force: true });
    await platform?.dispose();
  });

  it("is finished by the next up, with nothing duplicated and nothing pending", async () => {
    runner = startRunner({
      workDir: path.join(testStacksDir, id),
      stackName: id,
      projectName: "omnitenant-e2e",
      endpoint: platform.url,
      token: platform.operatorToken,
      program: { kind: "small-tenant", variant },
    });
    const run = runner;

    // Kill once the tenant exists and some children are being written, before the deployment ends.
    const deadline = Date.now() + 90_000;
    let writesAtKill = 0;
    while (Date.now() < deadline && run.running()) {
      writesAtKill = (await platform.api("GET", "/v1/admin/stats")).body.writes;
      if (writesAtKill >= 4) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect({ writesAtKill, runnerStillRunning: run.running(), runnerOutput: run.output() }).toMatchObject({ runnerStillRunning: true });
    const killed = await run.crash();
    // The crash took the CLI and the provider host (in a process group of its own) down with the runner.
    const commands = killed.map((p) => p.command);
    expect(commands.some((c) => /\bpulumi(\s|$)/.test(c) && /\bup\b/.test(c))).toBe(true);
    expect({ commands, providerHost: commands.some((c) => /pulumi-resource-pulumi-nodejs|dynamic/.test(c)) }).toMatchObject({ providerHost: true });
    expect(stillRunning(killed)).toEqual([]);

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
