/**
 * The preview tells the truth: for each update scenario, the steps the preview plans are the steps
 * the up performs. In particular the children of an updated tenant are not shown as replaced: their
 * `tenantId` comes from the tenant's resource id, which the engine knows during a preview.
 */
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { createTestStack, type TestStack } from "../support/engine";
import { protectedTenant, protectedTenantResourceCount, type ProtectedTenantVariant } from "../support/programs/protected-tenant";

describe("preview summary equals up summary", () => {
  let platform: TestPlatform;
  let test: TestStack;
  let variant: ProtectedTenantVariant = { fqdn: "truthful.pbx.example.com", deletionProtection: false };

  beforeAll(async () => {
    platform = await startTestPlatform();
    test = await createTestStack({ name: "preview-up", platform, program: async () => protectedTenant(variant) });
    const up = await test.stack.up();
    expect(up.summary.resourceChanges?.create).toBe(protectedTenantResourceCount + 1);
  });

  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  async function previewThenUp(change: Partial<ProtectedTenantVariant>) {
    variant = { ...variant, ...change };
    const preview = await test.stack.preview();
    const up = await test.stack.up();
    return { preview: preview.changeSummary, up: up.summary.resourceChanges };
  }

  it.each<[string, Partial<ProtectedTenantVariant>, Record<string, number>]>([
    ["a tenant capability", { maxAgents: 7 }, { same: 4, update: 1 }],
    ["deletion protection turned on", { deletionProtection: true }, { same: 4, update: 1 }],
    ["deletion protection turned off", { deletionProtection: false }, { same: 4, update: 1 }],
    ["an agent's alias", { alias: "Gigi" }, { same: 4, update: 1 }],
    ["an extension's number (a replacement)", { extensionNumber: "302" }, { same: 4, replace: 1 }],
  ])("%s", async (_what, change, expected) => {
    const { preview, up } = await previewThenUp(change);
    expect(preview).toEqual(expected);
    expect(up).toEqual(expected);
  });
});
