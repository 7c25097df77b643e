/**
 * The policy packs through the real Pulumi CLI (Automation API, `preview --policy-pack`) against a
 * local platform: a program that breaks each pack fails the preview with exactly the expected
 * mandatory violations and creates nothing; a compliant program passes; the compliance report is
 * written for each. Needs `npm run build` (the packs run from dist/).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runPolicyReport, writeReport } from "../../policies/report/run";
import type { PolicyReport } from "../../policies/report/model";
import type { ReportEvent } from "../../policies/report/events";
import { createTestStack, type TestStack } from "../support/engine";
import { startTestPlatform } from "../support/platform";
import { breaksLeastPrivilege, breaksQuotas, compliant, leastPrivilegeConfig, quotasConfig } from "./policies/programs";

type Platform = Awaited<ReturnType<typeof startTestPlatform>>;

/** Keeps what the report reads from each event, so fixtures stay small and hold no provider code. */
function saveFixture(file: string, events: ReportEvent[], stack: string) {
  const kept = events.flatMap((e): object[] => {
    const m = e.resourcePreEvent?.metadata;
    if (m) return [{ resourcePreEvent: { metadata: { op: m.op, urn: m.urn, type: m.type } } }];
    const { policyEvent, policyAnalyzeSummaryEvent, policyAnalyzeStackSummaryEvent, summaryEvent } = e;
    // Only what a user sees: debug diagnostics echo resource inputs, secrets included.
    const diagnosticEvent = e.diagnosticEvent && ["error", "warning"].includes(e.diagnosticEvent.severity) ? e.diagnosticEvent : undefined;
    const one = { policyEvent, policyAnalyzeSummaryEvent, policyAnalyzeStackSummaryEvent, diagnosticEvent, summaryEvent };
    const present = Object.fromEntries(Object.entries(one).filter(([, v]) => v !== undefined));
    return Object.keys(present).length ? [present] : [];
  });
  writeFileSync(file, JSON.stringify({ stack, events: kept }, null, 1) + "\n");
}

describe("policy packs through the real Pulumi CLI", () => {
  let platform: Platform;
  let dir: string;
  let configs: { "least-privilege": string; quotas: string };
  const stacks: TestStack[] = [];

  beforeAll(async () => {
    platform = await startTestPlatform();
    dir = mkdtempSync(join(tmpdir(), "omnitenant-policy-e2e-"));
    configs = { "least-privilege": join(dir, "least-privilege.json"), quotas: join(dir, "quotas.json") };
    writeFileSync(configs["least-privilege"], JSON.stringify(leastPrivilegeConfig));
    writeFileSync(configs.quotas, JSON.stringify(quotasConfig));
  });

  afterAll(async () => {
    for (const s of stacks) await s.dispose().catch(() => undefined);
    await platform?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function report(name: string, program: (fqdn: string) => unknown): Promise<{ report: PolicyReport; output: string }> {
    const fqdn = `${name}.policy-e2e.example.com`;
    const test = await createTestStack({ name, platform, program: async () => void program(fqdn) });
    stacks.push(test);
    let output = "";
    const events: ReportEvent[] = [];
    const r = await runPolicyReport({ stack: test.stack, configs, onOutput: (s) => (output += s), onEvent: (e) => events.push(e) });
    // OMNITENANT_CAPTURE_EVENTS=tests/policies/report/fixtures refreshes the report's unit-test fixtures.
    if (process.env.OMNITENANT_CAPTURE_EVENTS) saveFixture(join(process.env.OMNITENANT_CAPTURE_EVENTS, `${name}.events.json`), events, test.stack.name);
    const files = writeReport(r, join(dir, name));
    expect(JSON.parse(readFileSync(files.json!, "utf8"))).toEqual(r);
    expect(readFileSync(files.markdown!, "utf8")).toContain(`# Policy compliance report: ${r.summary.result.toUpperCase()}`);
    return { report: r, output };
  }

  const tenantsNamed = async (fqdn: string) => (await platform.api("GET", `/v1/tenants?fqdn=${fqdn}`)).body.items as unknown[];
  const mandatory = (r: PolicyReport) => r.violations.filter((v) => v.level === "mandatory").map((v) => `${v.pack}/${v.policy}`).sort();

  it("passes a compliant program, every resource checked by both packs", async () => {
    const { report: r, output } = await report("compliant", compliant);
    expect(r.errors).toEqual([]);
    expect(r.violations).toEqual([]);
    expect(r.summary.result).toBe("pass");
    expect(r.packs).toEqual([{ name: "least-privilege", version: "0.1.0" }, { name: "quotas", version: "0.1.0" }]);
    expect(r.resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/omnitenant:"))).toHaveLength(9);
    for (const res of r.resources.filter((x) => x.type.startsWith("pulumi-nodejs:dynamic/omnitenant:"))) {
      expect(Object.keys(res.packs).sort()).toEqual(["least-privilege", "quotas"]);
      expect(res.operation).toBe("create");
    }
    expect(r.stackPolicies["least-privilege"].passed).toEqual(["max-admins-per-tenant"]);
    expect(r.stackPolicies.quotas.passed).toEqual(["capability-quotas"]);
    expect(output).not.toMatch(/error:/);
  });

  it("fails the preview of a program that breaks least privilege with one mandatory violation per policy, and creates nothing", async () => {
    const { report: r } = await report("prod", breaksLeastPrivilege); // stack "prod-<hex>": a production stack
    expect(r.errors).toEqual([]);
    expect(r.summary.result).toBe("fail");
    expect(mandatory(r)).toEqual(
      [
        "agent-explicit-queues", "agent-roles", "api-credential-lifetime", "api-credential-scopes", "integration-tagged-to-agent",
        "max-admins-per-tenant", "no-test-role-in-production", "portal-permissions", "webhook-https-only",
      ].map((p) => `least-privilege/${p}`),
    );
    const byPolicy = Object.fromEntries(r.violations.map((v) => [v.policy, v]));
    expect(byPolicy["agent-roles"].resource).toEqual({ type: "pulumi-nodejs:dynamic/omnitenant:Agent", name: "boss" });
    expect(byPolicy["agent-roles"].message).toContain("Fix:");
    expect(byPolicy["max-admins-per-tenant"].resource?.name).toBe("tenant"); // grouped by dependency: the tenant id is unknown
    expect(byPolicy["max-admins-per-tenant"].message).toContain('admin agents "root1", "root2", "root3"');
    expect(byPolicy["webhook-https-only"].message).toContain('use "https://hooks.policy.example.com/in"');
    expect(await tenantsNamed("prod.policy-e2e.example.com")).toEqual([]);
  });

  it("fails the preview of a program over its quotas, deciding before any id is known, and creates nothing", async () => {
    const { report: r } = await report("quotas", breaksQuotas);
    expect(r.errors).toEqual([]);
    expect(r.summary.result).toBe("fail");
    expect(mandatory(r)).toEqual(["quotas/capability-quotas", "quotas/capability-quotas", "quotas/capability-quotas", "quotas/plan-catalogue"]);
    const quota = r.violations.filter((v) => v.policy === "capability-quotas").map((v) => v.message).join("\n");
    expect(quota).toContain("declares 2 agents for this tenant, more than its capabilities.maxAgents of 1");
    expect(quota).toContain("declares 2 extensions for this tenant, more than its capabilities.maxExtensions of 1");
    expect(quota).toContain("declares 2 channel-account credentials");
    expect(r.violations.find((v) => v.policy === "plan-catalogue")!.message).toContain("capabilities.diskQuotaGb 10 > 5");
    expect(await tenantsNamed("quotas.policy-e2e.example.com")).toEqual([]);
  });
});
