/**
 * Deletion protection through the real Pulumi CLI: a destroy, or a replacement of the tenant (an
 * fqdn change), stops before anything of the tenant is deleted, and says what to change.
 */
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { createTestStack, outputCollector, type TestStack } from "../support/engine";
import { protectedTenant, type ProtectedTenantVariant } from "../support/programs/protected-tenant";

async function inventory(platform: TestPlatform, tenantId: string) {
  const names = async (collection: string, field: string) =>
    ((await platform.api("GET", `/v1/tenants/${tenantId}/${collection}?limit=500`)).body.items as Array<Record<string, string>>).map((o) => o[field]).sort();
  return {
    // The operator also sees the reserved management instance; the customers are the rest.
    tenants: ((await platform.api("GET", "/v1/tenants?limit=500")).body.items as Array<{ fqdn: string; reserved?: boolean }>).filter((t) => !t.reserved).map((t) => t.fqdn).sort(),
    queues: await names("queues", "name"),
    agents: await names("agents", "account"),
    extensions: await names("extensions", "number"),
  };
}

describe("deletion protection through the real Pulumi CLI", () => {
  let platform: TestPlatform;
  let test: TestStack;
  let variant: ProtectedTenantVariant = { fqdn: "guarded.pbx.example.com", deletionProtection: true };
  let tenantId: string;
  let before: Awaited<ReturnType<typeof inventory>>;

  beforeAll(async () => {
    platform = await startTestPlatform();
    test = await createTestStack({ name: "protection", platform, program: async () => protectedTenant(variant) });
    const up = await test.stack.up();
    tenantId = up.outputs.tenantId.value;
    before = await inventory(platform, tenantId);
    expect(before.agents).toEqual(["gina"]);
    expect(before.extensions).toEqual(["301"]);
  });

  afterAll(async () => {
    variant = { ...variant, fqdn: "guarded.pbx.example.com", deletionProtection: false };
    await test?.stack.up().catch(() => undefined);
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  it("a destroy deletes nothing and says how to allow it", async () => {
    const out = outputCollector();
    await expect(test.stack.destroy({ onOutput: out.onOutput })).rejects.toThrow();
    expect(await inventory(platform, tenantId)).toEqual(before);
    expect(out.text()).toContain(
      `was not deleted: tenant "guarded.pbx.example.com" (${tenantId}) has deletion protection, and this deployment deletes the tenant too ` +
        "(a destroy, or the tenant removed from the program). Nothing of the tenant is deleted. " +
        "To delete it, set `deletionProtection: false` on the tenant and run `pulumi up` first.",
    );
    expect(out.text()).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    // Each refusing resource says it once (the host's echo of an expected refusal is dropped).
    const refused = out.text().slice(out.text().indexOf("Diagnostics:")).split("\n").filter((l) => l.includes("has deletion protection"))
      .map((l) => l.slice(0, l.indexOf(" was not deleted")).replace(/^.*error: /, ""));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused).toEqual([...new Set(refused)]);
  });

  it("an fqdn change is refused at preview and at up, and nothing is created or deleted", async () => {
    variant = { ...variant, fqdn: "guarded-renamed.pbx.example.com" };
    const preview = outputCollector();
    await expect(test.stack.preview({ onOutput: preview.onOutput })).rejects.toThrow();
    const up = outputCollector();
    await expect(test.stack.up({ onOutput: up.onOutput })).rejects.toThrow();
    expect(await inventory(platform, tenantId)).toEqual(before);
    for (const text of [preview.text(), up.text()]) {
      expect(text).toContain(
        'Tenant "guarded.pbx.example.com" (' + tenantId + ") has deletion protection, and changing fqdn would replace it " +
          "(create a new tenant and delete this one with everything in it). To replace it, first set `deletionProtection: false` " +
          "and run `pulumi up`, then change fqdn; or keep fqdn as it is.",
      );
      expect(text).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    }
  });

  it("after protection is turned off, the same change replaces the tenant", async () => {
    variant = { ...variant, fqdn: "guarded.pbx.example.com", deletionProtection: false };
    await test.stack.up();
    variant = { ...variant, fqdn: "guarded-renamed.pbx.example.com" };
    const result = await test.stack.up();
    expect(result.summary.resourceChanges).toMatchObject({ replace: 4 });
    expect((await inventory(platform, result.outputs.tenantId.value)).tenants).toEqual(["guarded-renamed.pbx.example.com"]);
  });
});
