/**
 * No secret value in any message: every secret field of every kind, and a misspelled field, given a
 * bad secret value, one at a time (the engine stops at the first resource whose check fails). The
 * whole CLI output of the preview and of the up names the field and the reason, and never the value.
 */
import * as pulumi from "@pulumi/pulumi";
import { startTestPlatform, type TestPlatform } from "../support/platform";
import { createTestStack, outputCollector, type TestStack } from "../support/engine";

jest.setTimeout(180_000);

type Omni = typeof import("omnitenant");
const tenantId = "ten_secretive01"; // a literal id: no platform object is needed to reach the check

/** [the secret field, its bad value, declare it, what the CLI must say] */
const mistakes: Array<[string, string, (omni: Omni, value: string) => unknown, string]> = [
  [
    "Tenant admin.password", "Adm1n!x",
    (o, v) => new o.Tenant("tenant", {
      companyName: "Secretive", organizationSize: "1-10", country: "FR", fqdn: "secretive.pbx.example.com", timeZone: "Europe/Paris", language: "fr",
      admin: { username: "admin", password: pulumi.secret(v), firstName: "Sam", email: "sam@secretive.example.com" },
      capabilities: { maxAgents: 2, diskQuotaGb: 1, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 1, maxExtensions: 2 },
    }),
    "admin.password: must be at least 8 characters",
  ],
  [
    "Agent password", "Agnt2!x",
    (o, v) => new o.Agent("short-password", { tenantId, account: "sam", password: pulumi.secret(v), firstName: "Sam", alias: "Sam", email: "sam@secretive.example.com" }),
    "password: must be at least 8 characters",
  ],
  [
    "a misspelled Agent password", "Misspelled-Secret-4",
    (o, v) => new o.Agent("misspelled", {
      tenantId, account: "sue", firstName: "Sue", alias: "Sue", email: "sue@secretive.example.com", password: "Long-Enough-Pass-5",
      ...({ pasword: pulumi.secret(v) } as object),
    }),
    'pasword: is not a known property; did you mean "password"?',
  ],
  [
    "Extension portal.password", "Prtl3!x",
    (o, v) => new o.Extension("portal", { tenantId, number: "401", name: "Sam", portal: { username: "sam", password: pulumi.secret(v), permissions: ["userPortalAccess"] } }),
    "portal.password: must be at least 8 characters",
  ],
  [
    "IntegrationCredential secrets", "987654321",
    (o, v) => new o.IntegrationCredential("crm", { tenantId, name: "CRM", kind: "zoho", secrets: { apiKey: Number(v) as unknown as string } }),
    "secrets.apiKey: must be a string, not a number",
  ],
];

describe("secret values stay out of every message", () => {
  let platform: TestPlatform;
  let test: TestStack;
  let current: (omni: Omni) => unknown = () => undefined;

  beforeAll(async () => {
    platform = await startTestPlatform();
    const omni = await import("omnitenant");
    test = await createTestStack({ name: "secret-msgs", platform, program: async () => void current(omni) });
  });

  afterAll(async () => {
    await test?.dispose().catch(() => undefined);
    await platform?.dispose();
  });

  for (const op of ["preview", "up"] as const) {
    it.each(mistakes)(`${op}, %s: names the field and prints not the value`, async (_field, value, declare, expected) => {
      current = (omni) => declare(omni, value);
      const out = outputCollector();
      const error = await test.stack[op]({ onOutput: out.onOutput }).then(() => undefined, (err: Error) => err);
      expect(error).toBeInstanceOf(Error);
      // What the CLI printed and what the Automation API's error carries (its stderr included).
      const text = `${out.text()}\n${error?.message}`;
      expect(text).toContain(`has a problem: ${expected}`);
      expect(text).not.toContain(value);
      expect(text).not.toMatch(/\{<nil>\}|\{&\{/);
    });
  }
});
