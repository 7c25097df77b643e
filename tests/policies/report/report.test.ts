/**
 * The report built from engine events captured from real previews (tests/e2e/policies.test.ts
 * with OMNITENANT_CAPTURE_EVENTS=tests/policies/report/fixtures refreshes them).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { buildReport, parseUrn, plain, type ReportEvent } from "../../../policies/report/events";
import { renderJson, renderMarkdown } from "../../../policies/report/markdown";

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "fixtures", `${name}.events.json`), "utf8")) as { stack: string; events: ReportEvent[] };
const packs = [{ name: "least-privilege", version: "0.1.0" }, { name: "quotas", version: "0.1.0" }];
const now = new Date("2026-01-15T12:00:00Z");
const build = (name: string, failure?: string) => {
  const f = fixture(name);
  return buildReport(f.events, { stack: f.stack, project: "omnitenant-e2e", packs, failure, now });
};
const omni = (type: string) => type.startsWith("pulumi-nodejs:dynamic/omnitenant:");

describe("report of a compliant preview", () => {
  const r = build("compliant");

  it("passes, lists the packs with versions and every omnitenant resource with both packs' results", () => {
    expect(r.summary).toEqual({ resourcesChecked: r.resources.length, violations: 0, mandatory: 0, advisory: 0, result: "pass" });
    expect(r.packs).toEqual(packs);
    const mine = r.resources.filter((x) => omni(x.type));
    expect(mine.map((x) => x.name).sort()).toEqual(["crm", "desk", "events", "hook", "jane", "lead", "root1", "support", "tenant"]);
    for (const res of mine) {
      expect(res.operation).toBe("create");
      expect(res.packs["least-privilege"].failed).toEqual([]);
      expect(res.packs.quotas.failed).toEqual([]);
    }
    expect(mine.find((x) => x.name === "jane")!.packs["least-privilege"].passed).toEqual(
      expect.arrayContaining(["agent-roles", "no-test-role-in-production", "agent-explicit-queues"]),
    );
    expect(r.stackPolicies).toEqual({
      "least-privilege": { passed: ["max-admins-per-tenant"], failed: [] },
      quotas: { passed: ["capability-quotas"], failed: [] },
    });
    expect(r.errors).toEqual([]);
  });

  it("renders a Markdown verdict with the evidence", () => {
    const md = renderMarkdown(r);
    expect(md).toMatch(/^# Policy compliance report: PASS$/m);
    expect(md).toContain("- Policy packs: `least-privilege@0.1.0`, `quotas@0.1.0`");
    expect(md).toContain("- Violations: 0 mandatory, 0 advisory");
    expect(md).toContain("## Violations\n\nNone.");
    expect(md).toContain("| `least-privilege/max-admins-per-tenant` | pass |");
    expect(md).toMatch(/\| `jane` \| `omnitenant:Agent` \| create \| \d+ \| none \|/);
  });
});

describe("report of a preview that breaks least privilege", () => {
  const r = build("prod", "preview failed: one or more mandatory policy violations");

  it("fails with one mandatory violation per least-privilege policy, each on its resource", () => {
    expect(r.summary.result).toBe("fail");
    expect(r.summary.mandatory).toBe(9);
    expect(r.errors).toEqual([]); // "preview failed" is the violations' doing, not a separate error
    const where = Object.fromEntries(r.violations.map((v) => [v.policy, v.resource?.name]));
    expect(where).toEqual({
      "agent-roles": "boss",
      "agent-explicit-queues": "drifter",
      "no-test-role-in-production": "qa",
      "max-admins-per-tenant": "tenant",
      "portal-permissions": "desk",
      "api-credential-scopes": "everything",
      "api-credential-lifetime": "forever",
      "webhook-https-only": "hook",
      "integration-tagged-to-agent": "crm",
    });
    for (const v of r.violations) {
      expect(v).toMatchObject({ pack: "least-privilege", packVersion: "0.1.0", level: "mandatory" });
      expect(v.description.length).toBeGreaterThan(20);
      expect(v.message).toMatch(/Found: .+\. Fix: .+/);
      expect(v.message).not.toContain("<{%");
    }
    expect(r.resources.find((x) => x.name === "boss")!.packs["least-privilege"].failed).toEqual(["agent-roles"]);
    expect(r.stackPolicies["least-privilege"].failed).toEqual(["max-admins-per-tenant"]);
  });

  it("renders each violation as a table row, mandatory first", () => {
    const md = renderMarkdown(r);
    expect(md).toMatch(/^# Policy compliance report: FAIL$/m);
    expect(md).toContain("- Violations: 9 mandatory, 0 advisory");
    expect(md).toMatch(/\| mandatory \| `least-privilege\/agent-roles` \| `omnitenant:Agent boss` \| .*Fix: .* \|/);
    expect(md.split("\n").filter((l) => l.startsWith("| mandatory |"))).toHaveLength(9);
  });

  it("round-trips as JSON", () => {
    expect(JSON.parse(renderJson(r))).toEqual(r);
  });
});

describe("report of a preview over quotas", () => {
  const r = build("quotas");

  it("fails with the three capability violations on the tenant and the plan violation", () => {
    expect(r.summary).toMatchObject({ mandatory: 4, advisory: 0, result: "fail" });
    expect(r.violations.map((v) => `${v.policy}@${v.resource?.name}`).sort()).toEqual([
      "capability-quotas@tenant", "capability-quotas@tenant", "capability-quotas@tenant", "plan-catalogue@tenant",
    ]);
    expect(r.stackPolicies.quotas.failed).toEqual(["capability-quotas"]);
  });
});

describe("events the previews did not produce", () => {
  const stackUrn = "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev";
  const agentUrn = "urn:pulumi:dev::p::pulumi-nodejs:dynamic/omnitenant:Agent::jane";

  it("reports a failed preview with no violations as an error, and fails", () => {
    const r = buildReport([], { stack: "dev", failure: "error: program failed: TypeError: x is undefined", now });
    expect(r.summary.result).toBe("fail");
    expect(r.errors).toEqual(["error: program failed: TypeError: x is undefined"]);
    expect(renderMarkdown(r)).toContain("## Errors");
  });

  it("keeps an engine error beside violations when it is not the generic failure line", () => {
    const events: ReportEvent[] = [
      { sequence: 1, timestamp: 0, diagnosticEvent: { message: "policy pack configuration is invalid: x", color: "never", severity: "error" } },
    ];
    expect(buildReport(events, { stack: "dev", now }).errors).toEqual(["policy pack configuration is invalid: x"]);
  });

  it("passes with advisory violations, and puts a stack-wide violation on the stack", () => {
    const events: ReportEvent[] = [
      {
        sequence: 1,
        timestamp: 0,
        policyEvent: {
          resourceUrn: stackUrn, message: "Rule.\n<{%reset%}>detail<{%reset%}>\n", color: "never", policyName: "p", policyPackName: "quotas",
          policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel: "warning",
        },
      },
      // One resource checked: a report that checked none fails (below).
      { sequence: 2, timestamp: 0, policyAnalyzeSummaryEvent: { resourceUrn: agentUrn, policyPackName: "quotas", policyPackVersion: "0.1.0", passed: ["plan-catalogue"], failed: [] } },
    ];
    const r = buildReport(events, { stack: "dev", now });
    expect(r.summary).toMatchObject({ resourcesChecked: 1, advisory: 1, mandatory: 0, result: "pass" });
    expect(r.violations[0]).toMatchObject({ level: "advisory", description: "Rule.", message: "detail" });
    expect(r.violations[0].urn).toBeUndefined();
    expect(renderMarkdown(r)).toContain("| advisory | `quotas/p` | stack | detail |");
  });

  it("parses URNs with parent types, and strips color directives", () => {
    expect(parseUrn("urn:pulumi:dev::p::my:component$pulumi-nodejs:dynamic/omnitenant:Agent::jane")).toEqual({ type: "pulumi-nodejs:dynamic/omnitenant:Agent", name: "jane" });
    expect(parseUrn("urn:pulumi:dev")).toEqual({ type: "", name: "" });
    // A name may itself hold "::": everything after the type is the name.
    expect(parseUrn("urn:pulumi:dev::p::omnitenant:index:Agent::a::b")).toEqual({ type: "omnitenant:index:Agent", name: "a::b" });
    expect(plain("<{%fg 1%}>bad<{%reset%}>")).toBe("bad");
    // The engine ends lines with a newline; an indented line keeps its indentation.
    expect(plain("  indented<{%reset%}> \n")).toBe("  indented");
  });

  it("uses a one-line policy message as both description and message", () => {
    const events: ReportEvent[] = [
      {
        sequence: 1,
        timestamp: 0,
        policyEvent: {
          resourceUrn: stackUrn, message: "  Only a rule.", color: "never", policyName: "p", policyPackName: "quotas",
          policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel: "mandatory",
        },
      },
    ];
    expect(buildReport(events, { stack: "dev", now }).violations[0]).toMatchObject({ description: "Only a rule.", message: "Only a rule." });
  });

  it("lists the packs the summary names, keeping the version a pack's own events gave", () => {
    const events: ReportEvent[] = [
      {
        sequence: 1,
        timestamp: 0,
        policyEvent: {
          resourceUrn: stackUrn, message: "Rule.\ndetail", color: "never", policyName: "p", policyPackName: "quotas",
          policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel: "warning",
        },
      },
      { sequence: 2, timestamp: 0, summaryEvent: { maybeCorrupt: false, durationSeconds: 1, resourceChanges: {}, policyPacks: { quotas: "9.9.9", "least-privilege": "0.2.0" } } },
    ];
    expect(buildReport(events, { stack: "dev", now }).packs).toEqual([
      { name: "least-privilege", version: "0.2.0" },
      { name: "quotas", version: "0.1.0" },
    ]);
  });

  it("keeps the Markdown table whole when a message holds a pipe or line breaks", () => {
    const events: ReportEvent[] = [
      {
        sequence: 1,
        timestamp: 0,
        policyEvent: {
          resourceUrn: stackUrn, message: "Rule.\nroles a | b\n\nnot both", color: "never", policyName: "p", policyPackName: "quotas",
          policyPackVersion: "0.1.0", policyPackVersionTag: "0.1.0", enforcementLevel: "mandatory",
        },
      },
    ];
    const md = renderMarkdown(buildReport(events, { stack: "dev", now }));
    expect(md).toContain("| mandatory | `quotas/p` | stack | roles a \\| b<br>not both |");
    // A backtick in a name would end its code span early: it is shown as a quote.
    const named = buildReport(events, { stack: "dev`s", now });
    expect(renderMarkdown(named)).toContain("- Stack: `dev's` (preview)");
  });
});

describe("a preview that checked no resource", () => {
  const compliant = fixture("compliant");
  const urnOf = (e: ReportEvent) => e.resourcePreEvent?.metadata.urn ?? e.policyAnalyzeSummaryEvent?.resourceUrn;
  const isProgramUrn = (urn: string) => !["pulumi:pulumi:Stack", ""].includes(parseUrn(urn).type) && !parseUrn(urn).type.startsWith("pulumi:providers:");

  it("fails, saying the program declared no resources, when the preview planned none", () => {
    // The compliant preview without the program's resources: only the stack and its stack policies.
    const events = compliant.events.filter((e) => !isProgramUrn(urnOf(e) ?? ""));
    expect(events.some((e) => e.policyAnalyzeStackSummaryEvent)).toBe(true);
    const r = buildReport(events, { stack: compliant.stack, packs, now });
    expect(r.summary).toMatchObject({ resourcesChecked: 0, mandatory: 0, result: "fail" });
    expect(r.nothingChecked).toMatchObject({ code: "no-resources", resourcesPlanned: 0 });
    expect(r.errors).toEqual([r.nothingChecked!.message]);
    expect(r.errors[0]).toMatch(/^nothing was checked: the program declared no resources.*--dir/);
    const md = renderMarkdown(r);
    expect(md).toMatch(/^# Policy compliance report: FAIL$/m);
    expect(md).toContain("- nothing was checked: the program declared no resources");
  });

  it("fails, saying the packs analysed none, when resources were planned but no policy result came", () => {
    const events = compliant.events.filter((e) => !e.policyAnalyzeSummaryEvent);
    const planned = new Set(compliant.events.map(urnOf).filter((u): u is string => !!u && isProgramUrn(u))).size;
    expect(planned).toBeGreaterThan(0);
    const r = buildReport(events, { stack: compliant.stack, packs, now });
    expect(r.summary).toMatchObject({ resourcesChecked: 0, result: "fail" });
    expect(r.nothingChecked).toMatchObject({ code: "not-analysed", resourcesPlanned: planned });
    expect(r.errors[0]).toContain(`the program declared ${planned} resources but the engine reported no policy result`);
  });

  it("adds no second error when the preview failed and said why", () => {
    const r = buildReport([], { stack: "dev", failure: "error: program failed", now });
    expect(r.errors).toEqual(["error: program failed"]);
    expect(r.nothingChecked).toBeUndefined();
  });
});
