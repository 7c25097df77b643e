/**
 * The machine and people formats of the compliance report, from engine events captured from real
 * previews: SARIF 2.1.0 validated against the OASIS JSON schema (vendored in fixtures/), and the
 * self-contained HTML page.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { policyCatalog } from "../../../policies/report/catalog";
import { buildReport, type ReportEvent } from "../../../policies/report/events";
import { renderHtml } from "../../../policies/report/html";
import { parseFormats, renderReport } from "../../../policies/report/run";
import { renderSarif } from "../../../policies/report/sarif";

const fixture = (name: string) => JSON.parse(readFileSync(join(__dirname, "fixtures", `${name}.events.json`), "utf8")) as { stack: string; events: ReportEvent[] };
const packs = [{ name: "least-privilege", version: "0.1.0" }, { name: "quotas", version: "0.1.0" }];
const build = (name: string, failure?: string) => {
  const f = fixture(name);
  return buildReport(f.events, { stack: f.stack, project: "omnitenant-e2e", packs, failure, now: new Date("2026-01-15T12:00:00Z") });
};
const schema = JSON.parse(readFileSync(join(__dirname, "fixtures", "sarif-schema-2.1.0.json"), "utf8"));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);
const catalog = policyCatalog();

interface SarifRun {
  tool: { driver: { name: string; version: string; rules: Array<{ id: string; shortDescription: { text: string }; defaultConfiguration: { level: string } }> } };
  results: Array<{ ruleId: string; ruleIndex: number; level: string; message: { text: string }; locations?: Array<{ physicalLocation: { artifactLocation: { uri: string } }; logicalLocations: Array<{ fullyQualifiedName: string }> }> }>;
  invocations: Array<{ executionSuccessful: boolean }>;
}

describe("SARIF", () => {
  it("the vendored schema rejects what is not SARIF", () => {
    expect(validate({ version: "2.1.0", runs: [{ results: [] }] })).toBe(false); // a run without its tool
    expect(validate({ version: "2.1.0", runs: [{ tool: { driver: { name: "x" } }, results: [{ message: { text: "m" }, level: "fatal" }] }] })).toBe(false);
  });

  for (const name of ["compliant", "prod", "quotas"]) {
    it(`${name}: valid SARIF 2.1.0`, () => {
      const log = JSON.parse(renderSarif(build(name), catalog));
      const ok = validate(log);
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
      expect(log.version).toBe("2.1.0");
    });
  }

  it("declares one rule per policy with its description and level, in a run per pack", () => {
    const runs = JSON.parse(renderSarif(build("compliant"), catalog)).runs as SarifRun[];
    expect(runs.map((r) => r.tool.driver.name)).toEqual(["omnitenant/least-privilege", "omnitenant/quotas"]);
    const leastPrivilege = runs[0].tool.driver.rules;
    expect(leastPrivilege.map((r) => r.id)).toEqual(catalog["least-privilege"].map((p) => p.name));
    expect(leastPrivilege.map((r) => r.id)).toEqual(expect.arrayContaining(["agent-roles", "webhook-https-only", "integration-tagged-to-agent"]));
    for (const rule of leastPrivilege) expect(rule.shortDescription.text.length).toBeGreaterThan(10);
    expect(leastPrivilege.find((r) => r.id === "agent-roles")!.defaultConfiguration.level).toBe("error");
    expect(runs[1].tool.driver.rules.map((r) => r.id)).toEqual(["capability-quotas", "plan-catalogue"]);
    expect(runs.flatMap((r) => r.results)).toEqual([]);
  });

  it("has one result per violation, at the resource's URN, its level from the enforcement level", () => {
    const report = build("prod");
    expect(report.violations.length).toBeGreaterThan(0);
    const runs = JSON.parse(renderSarif(report, catalog)).runs as SarifRun[];
    const results = runs.flatMap((r) => r.results.map((x) => ({ ...x, pack: r.tool.driver.name.replace("omnitenant/", ""), rules: r.tool.driver.rules })));
    expect(results).toHaveLength(report.violations.length);
    for (const v of report.violations) {
      const match = results.find((x) => x.pack === v.pack && x.ruleId === v.policy && x.message.text === v.message);
      expect(match).toBeDefined();
      expect(match!.level).toBe({ mandatory: "error", advisory: "warning", remediate: "note", disabled: "none" }[v.level]);
      expect(match!.rules[match!.ruleIndex].id).toBe(v.policy);
      if (v.urn) {
        expect(match!.locations![0].physicalLocation.artifactLocation.uri).toBe(v.urn);
        expect(match!.locations![0].logicalLocations[0].fullyQualifiedName).toBe(v.urn);
      } else {
        expect(match!.locations).toBeUndefined();
      }
    }
    expect(results.some((x) => x.level === "error")).toBe(true);
  });

  it("marks the run unsuccessful when the preview itself failed", () => {
    const runs = JSON.parse(renderSarif(build("compliant", "the program failed: boom"), catalog)).runs as SarifRun[];
    expect(runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(validate(JSON.parse(renderSarif(build("compliant", "the program failed: boom"), catalog)))).toBe(true);
  });
});

describe("HTML", () => {
  it("is one self-contained page with the verdict, every violation and every resource", () => {
    const report = build("prod");
    const html = renderHtml(report);
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`Policy compliance report: <span class="${report.summary.result}">${report.summary.result.toUpperCase()}</span>`);
    // Nothing loaded from elsewhere: no script, no external stylesheet, image or font.
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(|src=|href=/i);
    for (const v of report.violations) expect(html).toContain(`${v.pack}/${v.policy}`);
    for (const r of report.resources) expect(html).toContain(`<code>${r.name.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</code>`);
  });

  it("escapes what the program and the policies wrote", () => {
    const report = build("compliant");
    report.violations.push({ ...{ pack: "least-privilege", packVersion: "0.1.0", policy: "agent-roles", level: "mandatory" as const, description: "d" }, message: `<script>alert("1")</script> & 'more'` });
    const html = renderHtml(report);
    expect(html).toContain("&lt;script&gt;alert(&quot;1&quot;)&lt;/script&gt; &amp; &#39;more&#39;");
    expect(html).not.toContain("<script>");
  });

  it("says None. where a compliant preview has no violation, and leaves the step of a resource without one empty", () => {
    const report = build("compliant");
    expect(report.violations).toHaveLength(0);
    const [first] = report.resources;
    delete first.operation;
    const html = renderHtml(report);
    expect(html).toContain("<h2>Violations</h2>\n<p>None.</p>\n<h2>Stack policies</h2>");
    expect(html).toContain(`<tr><td><code>${first.name}</code></td><td><code>${first.type.replace("pulumi-nodejs:dynamic/", "")}</code></td><td></td>`);
    expect(html).not.toContain("<h2>Errors</h2>");
  });

  it("of a preview that failed before any pack ran: the errors, escaped, and no packs", () => {
    const html = renderHtml(buildReport([], { stack: "dev", failure: "error: <boom>", now: new Date("2026-01-15T12:00:00Z") }));
    expect(html).toContain("<dt>Policy packs</dt><dd>none</dd>");
    expect(html).toContain("<h2>Errors</h2><p>The preview did not complete, so this report is incomplete:</p><ul><li>error: &lt;boom&gt;</li></ul>");
  });
});

describe("--format", () => {
  it("accepts a comma-separated list and names a bad format with the choices", () => {
    expect(parseFormats("sarif,html")).toEqual(["sarif", "html"]);
    expect(parseFormats("markdown, json,markdown")).toEqual(["markdown", "json"]);
    expect(() => parseFormats("pdf")).toThrow('--format: "pdf" is not a report format; use one or more of markdown, json, sarif, html');
    expect(renderReport(build("compliant"), "sarif")).toContain('"version": "2.1.0"');
  });
});
