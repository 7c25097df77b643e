/**
 * No secret value in any message: every secret field of every kind, and a misspelled field, given a
 * bad secret value; the whole CLI output of the preview and of the up must not contain any of them.
 */
import * as pulumi from "@pulumi/pulumi";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { createTestStack, outputCollector, type TestStack } from "../support/engine";

const bad = {
  adminPassword: "Adm1n!x",
  agentPassword: "Agnt2!x",
  portalPassword: "Prtl3!x",
  credentialSecret: 987654321,
  misspelled: "Misspelled-Secret-4",
};

describe("secret values stay out of every message", () => {
  let platform: TestPlatform;
  let test: TestStack;

  beforeAll(async () => {
    platform = await startTestPlatform();
    const omni = await import("omnitenant");
    test = await createTestStack({
      name: "secret-msgs",
      platform,
      program: async () => {
        const tenant = new omni.Tenant("tenant", {
          companyName: "Secretive", organizationSize: "1-10", country: "FR", fqdn: "secretive.pbx.example.com", timeZone: "Europe/Paris", language: "fr",
          admin: { username: "admin", password: pulumi.secret(bad.adminPassword), firstName: "Sam", email: "sam@secretive.example.com" },
          capabilities: { maxAgents: 2, diskQuotaGb: 1, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 1, maxExtensions: 2 },
        });
        // A literal id, not tenant.tenantId: the children are checked even though the tenant fails its own check.
        void tenant;
        const tenantId = "ten_secretive01";
        new omni.Agent("short-password", { tenantId, account: "sam", password: pulumi.secret(bad.agentPassword), firstName: "Sam", alias: "Sam", email: "sam@secretive.example.com" });
        new omni.Agent("misspelled", {
          tenantId, account: "sue", firstName: "Sue", alias: "Sue", email: "sue@secretive.example.com", password: "Long-Enough-Pass-5",
          ...({ pasword: pulumi.secret(bad.misspelled) } as object),
        });
        new omni.Extension("portal", { tenantId, number: "401", name: "Sam", portal: { username: "sam", password: pulumi.secret(bad.portalPassword), permissions: ["userPortalAccess"] } });
        new omni.IntegrationCredential("crm", { tenantId, name: "CRM", kind: "zoho", secrets: { apiKey: bad.credentialSecret as unknown as string } });
      },
    });
  });

  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  for (const op of ["preview", "up"] as const) {
    it(`${op}: fails naming each field, and prints none of the values`, async () => {
      const out = outputCollector();
      await expect(test.stack[op]({ onOutput: out.onOutput })).rejects.toThrow();
      const text = out.text();
      for (const expected of [
        "admin.password: must be at least 8 characters",
        "password: must be at least 8 characters",
        'pasword: is not a known property; did you mean "password"?',
        "portal.password: must be at least 8 characters",
        "secrets.apiKey: must be a string, not a number",
      ]) {
        expect(text).toContain(expected);
      }
      for (const value of Object.values(bad)) expect(text).not.toContain(String(value));
      expect(text).not.toContain("{<nil>}");
    });
  }
});
