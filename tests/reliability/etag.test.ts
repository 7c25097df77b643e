/**
 * A change made outside Pulumi between the last read and the next update (an ETag mismatch) surfaces
 * as a clear error — the object changed outside Pulumi, run `pulumi refresh` — and the outside change
 * is never overwritten. After the refresh the user sees the drift, and `up` sets the declared
 * configuration on purpose.
 */
import * as omni from "omnitenant";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { createTestStack, outputCollector, type TestStack } from "../support/engine";
import { call, report } from "./helpers";

jest.setTimeout(240_000);

interface Variant {
  alias: string;
  extensionName: string;
}

function program(fqdn: string, v: Variant) {
  const tenant = new omni.Tenant("tenant", {
    companyName: "ETag Corp",
    organizationSize: "11-50",
    country: "US",
    fqdn,
    timeZone: "America/New_York",
    language: "en-US",
    admin: { username: "etag-admin", password: "ETag-Admin-Password-1", firstName: "Eve", email: "eve@etag.example.com" },
    capabilities: { maxAgents: 5, diskQuotaGb: 10, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 10, maxExtensions: 5 },
  });
  const queue = new omni.Queue("queue", { tenantId: tenant.tenantId, name: "Support", channel: "chat" });
  const agent = new omni.Agent("agent", {
    tenantId: tenant.tenantId, account: "ann", password: "ETag-Agent-Password-2", firstName: "Ann", alias: v.alias, email: "ann@etag.example.com", queueIds: [queue.queueId],
  });
  // Not tied to the agent: both updates run in the same up, each meeting its own outside change.
  const extension = new omni.Extension("ext", { tenantId: tenant.tenantId, number: "301", name: v.extensionName });
  return { tenantId: tenant.tenantId, agentId: agent.agentId, extensionId: extension.extensionId };
}

describe("a change made outside Pulumi between read and update", () => {
  let platform: TestPlatform;
  let test: TestStack | undefined;
  const fqdn = `etag-${Date.now().toString(36)}.pbx.example.com`;
  let variant: Variant = { alias: "ann-declared", extensionName: "Ann desk" };

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  it("fails the update with a clear error and keeps the outside change", async () => {
    test = await createTestStack({ name: "etag", platform, program: async () => program(fqdn, variant) });
    const up = await test.stack.up();
    expect(up.summary.result).toBe("succeeded");
    const tenantId = up.outputs.tenantId.value as string;
    const agentPath = `/v1/tenants/${tenantId}/agents/${up.outputs.agentId.value}`;
    const extensionPath = `/v1/tenants/${tenantId}/extensions/${up.outputs.extensionId.value}`;

    // Pulumi reads everything (its state now holds the current revisions)…
    await test.stack.refresh();
    // …then someone changes the agent and the extension on the platform directly.
    const agentBefore = await call(platform, "GET", agentPath);
    const agentPatch = await call(platform, "PATCH", agentPath, { alias: "ann-changed-outside" }, { "if-match": agentBefore.headers.get("etag")! });
    const extBefore = await call(platform, "GET", extensionPath);
    const extPatch = await call(platform, "PATCH", extensionPath, { name: "Changed outside" }, { "if-match": extBefore.headers.get("etag")! });
    const applied = await call(platform, "POST", `/v1/tenants/${tenantId}/changes/apply`);
    expect([agentPatch.status, extPatch.status, applied.status]).toEqual([200, 200, 200]);

    // The program changes the same fields; up must refuse rather than overwrite.
    variant = { alias: "ann-new-in-program", extensionName: "New in program" };
    const out = outputCollector();
    let error = "";
    try {
      // continueOnError: the engine otherwise stops launching steps after the first failure, so
      // whichever update lost the race would never meet its own outside change.
      await test.stack.up({ onOutput: out.onOutput, continueOnError: true });
    } catch (err) {
      error = `${(err as Error).message}\n${out.text()}`;
    }
    const agentAfter = (await call(platform, "GET", agentPath)).body;
    const extAfter = (await call(platform, "GET", extensionPath)).body;
    const stats = (await call(platform, "GET", "/v1/admin/stats")).body;
    const text = report("ETag mismatch: agent alias and extension name changed outside Pulumi after refresh", {
      injected: { agent: `alias → ann-changed-outside (revision ${agentBefore.body.revision} → ${agentPatch.body.revision})`, extension: `name → Changed outside (applied)` },
      program: variant,
      upFailed: error !== "",
      errorExcerpt: error.split("\n").filter((l) => /outside Pulumi|refresh|412|precondition/i.test(l)).slice(0, 6).join(" | "),
      found: { agentAlias: agentAfter.alias, extensionName: extAfter.name, extensionLive: extAfter.appliedRevision === extAfter.revision },
      requests: stats.requests,
    });
    expect({ failed: error !== "", report: text }).toMatchObject({ failed: true });
    expect(error).toMatch(/changed outside Pulumi/);
    expect(error).toMatch(/pulumi refresh/);
    expect(error).toMatch(/Agent with account "ann"/);
    expect(error).toMatch(/Extension with number "301"/);
    expect(agentAfter.alias).toBe("ann-changed-outside");
    expect(extAfter.name).toBe("Changed outside");
    // Nothing else was staged behind the user's back either.
    expect((await call(platform, "GET", `/v1/tenants/${tenantId}/changes`)).body.items).toEqual([]);

    // The way out the message gives: refresh shows the drift, then up sets the declared values on purpose.
    const refreshed = await test.stack.refresh();
    expect(refreshed.summary.result).toBe("succeeded");
    const preview = await test.stack.preview();
    expect(preview.changeSummary.update).toBe(2);
    const again = await test.stack.up();
    expect(again.summary.resourceChanges?.update).toBe(2);
    expect((await call(platform, "GET", agentPath)).body.alias).toBe("ann-new-in-program");
    const ext = (await call(platform, "GET", extensionPath)).body;
    expect(ext.name).toBe("New in program");
    expect(ext.appliedRevision).toBe(ext.revision);
  });
});
