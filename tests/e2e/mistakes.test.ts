/**
 * Mistakes users make, and the exact message the real Pulumi CLI shows for each. One preview per
 * mistake: the engine stops at the first resource whose check fails, so a program with many
 * mistakes would show only one of them. The input mistakes share one stack whose program declares
 * the mistake under test (a literal tenant id, so no platform object is needed).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { api, startTestPlatform, type TestPlatform } from "../support/platform";
import { startCliPlatform } from "../support/cli-platform";
import { createTestStack, outputCollector, repoRoot, type TestStack } from "../support/engine";
import { expectOk, linkOmnitenant, workflow, type Workflow } from "./program-folder-workflow";

type Omni = typeof import("omnitenant");

jest.setTimeout(180_000);
const tenantId = "ten_mistakes01";
const agent = { tenantId, account: "amy", password: "Long-Enough-1", firstName: "Amy", alias: "Amy", email: "amy@example.com" };
const tenant = {
  companyName: "Mistaken", organizationSize: "11-50" as const, country: "FR", fqdn: "mistaken.pbx.example.com", timeZone: "Europe/Paris", language: "fr",
  admin: { username: "admin", password: "Long-Enough-2", firstName: "Max", email: "max@example.com" },
  capabilities: { maxAgents: 2, diskQuotaGb: 1, maxWidgets: 1, maxChannelAccounts: 1, maxWorkflows: 1, maxCannedMessages: 1, maxExtensions: 2 },
};
const any = (o: object) => o as any; // mistakes do not type-check, which is the point

/** The program folder's program: the scenario mistake.txt names. */
const PROGRAM = `"use strict";
const omni = require("omnitenant");
const tenantId = ${JSON.stringify(tenantId)};
const agent = ${JSON.stringify(agent)};
const tenant = ${JSON.stringify(tenant)};
module.exports = async () => {
  switch (require("node:fs").readFileSync(require("node:path").join(__dirname, "mistake.txt"), "utf8")) {
    case "dupes":
      new omni.Agent("amy", agent);
      new omni.Agent("amy-again", { ...agent, alias: "Amy 2" });
      return;
    case "lookup": {
      const t = new omni.Tenant("t", tenant);
      await omni.getTenant({ fqdn: t.fqdn });
      return;
    }
    case "tenant":
      new omni.Tenant("t", { ...tenant, fqdn: "connection-file.pbx.example.com" });
      return;
    case "queues":
      new omni.Queue("q1", { tenantId, name: "Q1" });
      new omni.Queue("q2", { tenantId, name: "Q2" });
      return;
  }
};
`;

/** [what the user did, declare it, the line the CLI prints after "resource '<name>' has a problem: "] */
const inputMistakes: Array<[string, (omni: Omni, name: string) => unknown, string]> = [
  ["a password too short", (o, n) => new o.Agent(n, { ...agent, account: n, password: "short" }), "password: must be at least 8 characters"],
  ["a misspelled field", (o, n) => new o.Agent(n, any({ ...agent, account: n, alais: "Amy" })), 'alais: is not a known property; did you mean "alias"?'],
  ["an unknown field far from any name", (o, n) => new o.Agent(n, any({ ...agent, account: n, colour: "blue" })), "colour: is not a known property; remove it"],
  ["a missing required field", (o, n) => new o.Agent(n, any({ ...agent, account: n, email: undefined })), "email: is required"],
  ["an email that is not one", (o, n) => new o.Agent(n, { ...agent, account: n, email: "amy-at-example" }), "email: must be an email address, e.g. ops@example.com"],
  ["a phone number without +", (o, n) => new o.Agent(n, { ...agent, account: n, phone: "0612345678" }), "phone: must be an E.164 number: + then country code and number, 7 to 15 digits, e.g. +14155550123"],
  ["an unknown role", (o, n) => new o.Agent(n, any({ ...agent, account: n, roles: ["boss"] })), 'roles[0]: must be one of "agent", "supervisor", "admin", "test"; got "boss"'],
  ["a tenant name instead of its id", (o, n) => new o.Agent(n, { ...agent, account: n, tenantId: "acme" }), "tenantId: must be an id of the form ten_…"],
  ["a lower-case country", (o, n) => new o.Tenant(n, { ...tenant, fqdn: `${n}.pbx.example.com`, country: "fr" }), "country: must be an ISO 3166-1 alpha-2 country code in upper case, e.g. FR or US"],
  ["an organization size off the list", (o, n) => new o.Tenant(n, any({ ...tenant, fqdn: `${n}.pbx.example.com`, organizationSize: "10-50" })), 'organizationSize: must be one of "1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5000+"; got "10-50"'],
  ["an FQDN in capitals", (o, n) => new o.Tenant(n, { ...tenant, fqdn: "Acme.PBX.example.com" }), "fqdn: must be a lower-case fully qualified domain name, e.g. acme.pbx.example.com"],
  ["a city as time zone", (o, n) => new o.Tenant(n, { ...tenant, fqdn: `${n}.pbx.example.com`, timeZone: "Paris" }), "timeZone: must be an IANA time zone name, e.g. Europe/Paris or America/New_York"],
  ["a negative capability", (o, n) => new o.Tenant(n, { ...tenant, fqdn: `${n}.pbx.example.com`, capabilities: { ...tenant.capabilities, maxAgents: -1 } }), "capabilities.maxAgents: must be at least 0"],
  ["a capability as text", (o, n) => new o.Tenant(n, any({ ...tenant, fqdn: `${n}.pbx.example.com`, capabilities: { ...tenant.capabilities, maxWidgets: "2" } })), "capabilities.maxWidgets: must be a number, not a string"],
  ["a short admin password", (o, n) => new o.Tenant(n, { ...tenant, fqdn: `${n}.pbx.example.com`, admin: { ...tenant.admin, password: "short" } }), "admin.password: must be at least 8 characters"],
  ["an extension number with letters", (o, n) => new o.Extension(n, { tenantId, number: "10a", name: "X" }), 'number: must be an extension number of 2 to 6 digits not starting with 0, e.g. "101"'],
  ["forwarding and follow-me together", (o, n) => new o.Extension(n, { tenantId, number: "102", name: "X", forwarding: { onBusy: { destinations: [{ target: "103", ringSeconds: 10 }] } }, followMe: { destinations: [{ target: "104", ringSeconds: 10 }] } }), "followMe: cannot be set together with forwarding: follow-me replaces forwarding; remove one of followMe or forwarding"],
  ["an Output in a template string", (o, n) => new o.Extension(n, { tenantId, number: "105", name: "X", keys: [{ position: 1, action: "blf", target: `${pulumi.output("106")}` }] }), "keys[0].target: is an Output turned into text (a template string or `+` around an Output gives Pulumi's warning text, not the value); pass the Output itself, or build the text with pulumi.interpolate`…`"],
  ["a queue channel off the list", (o, n) => new o.Queue(n, any({ tenantId, name: n, channel: "fax" })), 'channel: must be one of "chat", "email", "voice", "sms", "social"; got "fax"'],
  ["an API token without scopes", (o, n) => new o.IntegrationCredential(n, { tenantId, name: n, kind: "apiToken" }), 'scopes: an apiToken needs at least one scope, e.g. ["events:read"]'],
  ["scopes on a CRM credential", (o, n) => new o.IntegrationCredential(n, { tenantId, name: n, kind: "zoho", scopes: ["events:read"] }), "scopes: a zoho credential takes no scopes; remove them"],
  ["a local number for an incoming number", (o, n) => new o.IncomingNumber(n, { tenantId, number: "0612345678", destination: { type: "extension", target: "101" } }), "number: must be an E.164 number: + then country code and number, 7 to 15 digits, e.g. +14155550123"],
  ["an extension destination without target", (o, n) => new o.IncomingNumber(n, { tenantId, number: "+33612345678", destination: { type: "extension" } }), 'destination.target: an extension destination needs a target: an extension number, e.g. "101"'],
];

describe("user mistakes, and what the CLI says", () => {
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startTestPlatform();
  });
  afterAll(async () => {
    await platform?.dispose();
  });

  describe("input mistakes, one preview each", () => {
    let test: TestStack;
    let current: (omni: Omni) => unknown = () => undefined;

    beforeAll(async () => {
      const omni = await import("omnitenant");
      test = await createTestStack({ name: "mistakes", platform, program: async () => void current(omni) });
    });
    afterAll(async () => {
      await test?.dispose().catch(() => undefined);
    });

    it.each(inputMistakes.map(([what, declare, message], i) => [what, declare, `m${String(i + 1).padStart(2, "0")}`, message] as const))(
      "%s",
      async (_what, declare, name, message) => {
        current = (omni) => declare(omni, name);
        const out = outputCollector();
        await expect(test.stack.preview({ onOutput: out.onOutput })).rejects.toThrow();
        const text = out.text();
        const problems = text.split("\n").filter((l) => l.includes("has a problem: ")).map((l) => l.slice(l.indexOf("has a problem: ") + "has a problem: ".length).trim());
        // Exactly the one problem, as a sentence (the engine shows it as it happens and again under
        // Diagnostics): no Go value dumps, no stack trace.
        expect({ name, problems: [...new Set(problems)], shown: problems.length <= 2 }).toEqual({ name, problems: [message], shown: true });
        expect(text).toContain(`resource '${name}' has a problem: ${message}`);
        expect(text).not.toMatch(/\{<nil>\}|map\[|\{&\{/);
        expect(text).not.toMatch(/\n\s+at .*:\d+:\d+/);
      },
      120_000,
    );
  });

  /**
   * Mistakes that stop the program itself, in a program folder under Pulumi's Node.js language host
   * (where a user meets them): the program declares the scenario that mistake.txt names.
   */
  describe("program mistakes, under the language host", () => {
    const dir = path.join(repoRoot, ".omnitenant", `mistakes-${process.pid}`);
    let w: Workflow;

    beforeAll(async () => {
      fs.rmSync(dir, { recursive: true, force: true });
      linkOmnitenant(dir, repoRoot);
      fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: omnitenant-mistakes\nruntime: nodejs\n");
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "omnitenant-mistakes", private: true, main: "index.js" }));
      fs.writeFileSync(path.join(dir, "index.js"), PROGRAM);
      // The settings the tests give are the stack's config: none from this process's environment
      // (it would win over the connection file the last test is about).
      w = await workflow(dir, path.join(dir, "state"), { OMNITENANT_ENDPOINT: undefined, OMNITENANT_TOKEN: undefined });
      expect(w.languageHost).toBe(true);
      for (const args of [["stack", "init", "dev"], ["config", "set", "omnitenant:endpoint", platform.url], ["config", "set", "--secret", "omnitenant:token", platform.operatorToken]]) {
        expectOk(await w.pulumi(args));
      }
    });
    afterAll(() => {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    async function preview(mistake: string, config: Array<[string, string]> = []) {
      for (const [key, value] of config) expectOk(await w.pulumi(["config", "set", key, value]));
      fs.writeFileSync(path.join(dir, "mistake.txt"), mistake);
      return w.pulumi(["preview"]);
    }

    it("two resources for one agent fail at preview, naming both", async () => {
      const run = await preview("dupes");
      expect(run.status).not.toBe(0);
      expect(run.output).toContain(
        'Agent resources "amy" and "amy-again" both declare account "amy" in the same tenant; one platform object cannot be managed by two resources. Remove one of them, or give it another account.',
      );
      expect(run.output).not.toContain("adopt");
      expect(run.output).not.toMatch(/\n\s+at .*:\d+:\d+/);
    });

    it("a lookup given an Output says to use the …Output form", async () => {
      const run = await preview("lookup");
      expect(run.status).not.toBe(0);
      expect(run.output).toContain("getTenant: `fqdn` is an Output (or promises), which getTenant cannot read; use getTenantOutput({ … }) instead: it takes Outputs and returns an Output of the result.");
      expect(run.output).not.toMatch(/\n\s+at .*:\d+:\d+/);
      expect(run.output).not.toContain("PromiseRejectionHandledWarning");
    });

    it("a token in plain-text config warns once with the --secret command", async () => {
      const run = await preview("queues", [["omnitenant:token", platform.operatorToken]]);
      const warning = "Store it encrypted: `pulumi config set --secret omnitenant:token <token>`.";
      // One warning for the run: once under Diagnostics (the engine also shows it as it happens).
      const diagnostics = run.output.slice(run.output.indexOf("Diagnostics:"));
      expect({ status: run.status, warnings: diagnostics.split(warning).length - 1 }).toEqual({ status: 0, warnings: 1 });
      expect(run.output).not.toContain(platform.operatorToken);
    });

    it("an endpoint without http:// fails at once, naming the setting", async () => {
      const run = await preview("queues", [["omnitenant:endpoint", "127.0.0.1:4750"]]);
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('omnitenant:endpoint is "127.0.0.1:4750", which is not an http(s) URL. Give the platform\'s address with its scheme, e.g. `pulumi config set omnitenant:endpoint http://127.0.0.1:4750`.');
    });

    it("without endpoint and token settings, the provider finds the platform through the connection file `omnitenant platform` printed", async () => {
      for (const key of ["omnitenant:endpoint", "omnitenant:token"]) expectOk(await w.pulumi(["config", "rm", key]));
      // Started from the program folder, as the README says: it writes .omnitenant/platform.json there.
      const local = await startCliPlatform(["--quiet", "--data", path.join(dir, "local", "platform.db")], { cwd: dir });
      try {
        const file = path.join(dir, ".omnitenant", "platform.json");
        expect(local.output()).toContain(`connection file: ${file}`);
        const { url, operatorToken } = JSON.parse(fs.readFileSync(file, "utf8"));
        fs.writeFileSync(path.join(dir, "mistake.txt"), "tenant");
        expectOk(await w.pulumi(["up", "--yes", "--skip-preview"]));
        const found = await api(url, operatorToken)("GET", "/v1/tenants?fqdn=connection-file.pbx.example.com");
        expect(found.body.items).toHaveLength(1);
        expectOk(await w.pulumi(["destroy", "--yes", "--skip-preview"]));
      } finally {
        await local.stop();
      }
    });
  });
});
