/**
 * The whole lifecycle through the real Pulumi CLI against a local platform: up, no-op up, in-place
 * update, replacement, drift found by refresh and undone by up, secrets absent from the state, destroy.
 */
import { startTestPlatform, type TestPlatform as Platform } from "../support/platform";
import { createTestStack, outputCollector, type TestStack } from "../support/engine";
import { secretsUsed, smallTenant, smallTenantResourceCount, type SmallTenantVariant } from "../support/programs/small-tenant";



async function list(platform: Platform, tenantId: string, collection: string) {
  const res = await platform.api("GET", `/v1/tenants/${tenantId}/${collection}?limit=500`);
  expect(res.status).toBe(200);
  return res.body.items as Array<Record<string, any>>;
}

async function writes(platform: Platform): Promise<number> {
  return (await platform.api("GET", "/v1/admin/stats")).body.writes;
}

describe("lifecycle through the real Pulumi CLI", () => {
  let platform: Platform;
  let test: TestStack;
  let variant: SmallTenantVariant;
  const fqdn = "e2e-lifecycle.pbx.example.com";

  beforeAll(async () => {
    platform = await startTestPlatform();
    variant = { fqdn };
    test = await createTestStack({ name: "lifecycle", platform, program: async () => smallTenant(variant) });
  });

  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  /** The operations of a change summary other than "same". */
  const changed = (summary: Record<string, number> | undefined) => Object.fromEntries(Object.entries(summary ?? {}).filter(([op]) => op !== "same"));

  // One stack's life story: each step starts from the state the step before left, so the steps are
  // one test (a failed step does not leave later ones to fail for a reason not their own).
  it("up, no-op up, in-place update, replacement, drift undone, secrets absent, destroy", async () => {
    let tenantId: string;
    // up creates exactly the declared objects, all live
    {
      const out = outputCollector();
      const result = await test.stack.up({ onOutput: out.onOutput });
      expect(result.summary.result).toBe("succeeded");
      expect(result.summary.resourceChanges?.create).toBe(smallTenantResourceCount + 1);

      tenantId = result.outputs.tenantId.value;
      const tenants = (await platform.api("GET", `/v1/tenants?fqdn=${fqdn}`)).body.items;
      expect(tenants).toHaveLength(1);
      expect(tenants[0].tenantId).toBe(tenantId);
      // The default queue comes with the tenant; the program declares two more.
      expect((await list(platform, tenantId, "queues")).map((q) => q.name).sort()).toEqual(["Default", "Sales", "Support"]);
      expect((await list(platform, tenantId, "agents")).map((a) => a.account).sort()).toEqual(["ann", "bob", "cid"]);
      const extensions = await list(platform, tenantId, "extensions");
      expect(extensions.map((e) => e.number).sort()).toEqual(["201", "202", "203"]);
      for (const e of extensions) expect(e.appliedRevision).toBe(e.revision);
      expect(await list(platform, tenantId, "user-groups")).toHaveLength(1);
      expect(await list(platform, tenantId, "incoming-numbers")).toHaveLength(1);
      expect((await list(platform, tenantId, "integrations")).map((c) => c.kind).sort()).toEqual(["apiToken", "webhook", "zoho"]);
      expect((await platform.api("GET", `/v1/tenants/${tenantId}/changes`)).body.items).toEqual([]);
    }

    // a second up changes nothing and sends no write request
    {
      const before = await writes(platform);
      const result = await test.stack.up();
      const changes = result.summary.resourceChanges ?? {};
      expect(Object.keys(changes).filter((op) => op !== "same")).toEqual([]);
      expect(await writes(platform)).toBe(before);
    }

    // the state holds no password, token or secret in plaintext
    {
      const outputs = await test.stack.outputs();
      const generated = [outputs.token.value, outputs.signingSecret.value, outputs.sipPassword.value];
      for (const value of generated) expect(typeof value === "string" && value.length >= 16).toBe(true);
      const exported = await test.exportText();
      for (const secret of [...Object.values(secretsUsed), ...generated]) expect(exported).not.toContain(secret);
    }

    // updates an agent in place
    {
      const agentIdsBefore = (await test.stack.outputs()).agentIds.value;
      variant = { ...variant, supportAlias: "Bobby" };
      const planned = changed((await test.stack.preview()).changeSummary);
      const result = await test.stack.up();
      expect(result.summary.resourceChanges).toMatchObject({ update: 1 });
      expect(planned).toEqual(changed(result.summary.resourceChanges)); // the preview told the truth
      const bob = (await list(platform, tenantId, "agents")).find((a) => a.account === "bob")!;
      expect(bob.alias).toBe("Bobby");
      expect(result.outputs.agentIds.value).toEqual(agentIdsBefore);
    }

    // replaces an extension whose number changes
    {
      variant = { ...variant, thirdExtensionNumber: "204" };
      const planned = changed((await test.stack.preview()).changeSummary);
      const result = await test.stack.up();
      expect(result.summary.resourceChanges).toMatchObject({ replace: 1 });
      expect(planned).toEqual(changed(result.summary.resourceChanges));
      expect((await list(platform, tenantId, "extensions")).map((e) => e.number).sort()).toEqual(["201", "202", "204"]);
    }

    // refresh finds drift made on the platform, and up undoes it
    {
      const bob = (await list(platform, tenantId, "agents")).find((a) => a.account === "bob")!;
      const patched = await platform.api("PATCH", `/v1/tenants/${tenantId}/agents/${bob.agentId}`, { alias: "Changed outside Pulumi" });
      expect(patched.status).toBe(200);

      const refresh = await test.stack.refresh();
      expect(refresh.summary.resourceChanges).toMatchObject({ update: 1 });
      const preview = await test.stack.preview();
      expect(preview.changeSummary).toMatchObject({ update: 1 });

      const undone = await test.stack.up();
      expect(changed(preview.changeSummary)).toEqual(changed(undone.summary.resourceChanges));
      const after = (await list(platform, tenantId, "agents")).find((a) => a.account === "bob")!;
      expect(after.alias).toBe("Bobby");
    }

    // destroy removes everything from the platform
    {
      const result = await test.stack.destroy();
      expect(result.summary.result).toBe("succeeded");
      expect((await platform.api("GET", `/v1/tenants?fqdn=${fqdn}`)).body.items).toEqual([]);
      expect((await platform.api("GET", `/v1/tenants/${tenantId}`)).status).toBe(404);
    }
  }, 900_000);
});

describe("bad input through the real Pulumi CLI", () => {
  let platform: Platform;
  let test: TestStack;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  it("fails preview with the field and the reason, and creates nothing", async () => {
    const omni = await import("omnitenant");
    test = await createTestStack({
      name: "bad-input",
      platform,
      program: async () => {
        new omni.Extension("both", {
          tenantId: "ten_doesnotmatter1",
          number: "301",
          name: "Both",
          forwarding: { onBusy: { destinations: [{ target: "302", ringSeconds: 10 }] } },
          followMe: { destinations: [{ target: "303", ringSeconds: 10 }] },
        });
      },
    });
    const before = await writes(platform);
    const out = outputCollector();
    await expect(test.stack.preview({ onOutput: out.onOutput })).rejects.toThrow(/followMe/);
    expect(out.text()).toMatch(/followMe.*cannot be set together with forwarding/s);
    expect(await writes(platform)).toBe(before);
  });
});
