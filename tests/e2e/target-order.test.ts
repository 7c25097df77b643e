/**
 * Targets in any order, with the engine's parallelism at 2: a chain of extensions, each bound to its
 * agent and forwarding to one declared after it, deploys. Without the implicit dependencies, the
 * first two creates would take both slots waiting for targets whose creates could not start.
 */
import * as omni from "omnitenant";
import { startTestPlatform } from "../support/platform";
import { createTestStack, outputCollector, type TestStack } from "../support/engine";

describe("extension targets declared later, at --parallel 2", () => {
  let platform: Awaited<ReturnType<typeof startTestPlatform>>;
  let test: TestStack;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  it("deploys a chain of 8 agent-bound extensions, and a ring of 2, with every change live", async () => {
    const n = 8;
    test = await createTestStack({
      name: "target-order",
      platform,
      env: { PULUMI_PARALLEL: "2", OMNITENANT_APPLY_WAIT_MS: "20000" },
      program: async () => {
        const tenant = new omni.Tenant("tenant", {
          companyName: "Order Corp", organizationSize: "11-50", country: "DE", fqdn: "order.pbx.example.com",
          timeZone: "Europe/Berlin", language: "de-DE",
          admin: { username: "admin", password: "Order-Admin-1", firstName: "Olga", email: "olga@order.example.com" },
          capabilities: { maxAgents: 20, diskQuotaGb: 1, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 1, maxExtensions: 20 },
        });
        for (let i = 0; i < n; i++) {
          const agent = new omni.Agent(`agent-${i}`, {
            tenantId: tenant.tenantId, account: `agent${i}`, password: "Order-Agent-1", firstName: `A${i}`, alias: `A${i}`, email: `a${i}@order.example.com`,
          });
          new omni.Extension(`ext-${500 + i}`, {
            tenantId: tenant.tenantId, number: String(500 + i), name: `Ext ${i}`, agentId: agent.agentId,
            ...(i + 1 < n ? { forwarding: { onBusy: { destinations: [{ target: String(501 + i), ringSeconds: 10 }] } } } : {}),
          });
        }
        new omni.Extension("ring-a", { tenantId: tenant.tenantId, number: "600", name: "Ring A", followMe: { destinations: [{ target: "601", ringSeconds: 10 }] } });
        new omni.Extension("ring-b", { tenantId: tenant.tenantId, number: "601", name: "Ring B", followMe: { destinations: [{ target: "600", ringSeconds: 10 }] } });
        new omni.IncomingNumber("main", { tenantId: tenant.tenantId, number: "+4930123456", destination: { type: "extension", target: "500" } });
        return { tenantId: tenant.tenantId };
      },
    });
    const out = outputCollector();
    const result = await test.stack.up({ onOutput: out.onOutput });
    expect(result.summary.result).toBe("succeeded");
    const tenantId = result.outputs.tenantId.value;
    const res = await fetch(`${platform.url}/v1/tenants/${tenantId}/extensions?limit=100`, { headers: { authorization: `Bearer ${platform.operatorToken}` } });
    const extensions = ((await res.json()) as { items: unknown }).items as Array<{ number: string; revision: number; appliedRevision: number }>;
    expect(extensions).toHaveLength(n + 2);
    for (const e of extensions) expect(e.appliedRevision).toBe(e.revision);
  });
});
