/** The report as Markdown, for a change request: verdict first, then violations, then the evidence. */
import type { PolicyReport, ReportedViolation } from "./model";

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n+/g, "<br>");
const code = (s: string) => "`" + s.replace(/`/g, "'") + "`";

function violationRows(vs: ReportedViolation[]): string[] {
  return vs.map((v) =>
    `| ${v.level} | ${code(`${v.pack}/${v.policy}`)} | ${v.resource ? code(`${v.resource.type.replace("pulumi-nodejs:dynamic/", "")} ${v.resource.name}`) : "stack"} | ${cell(v.message)} |`,
  );
}

export function renderMarkdown(r: PolicyReport): string {
  const verdict = r.summary.result === "pass" ? "PASS" : "FAIL";
  const lines: string[] = [
    `# Policy compliance report: ${verdict}`,
    "",
    `- Stack: ${code(r.target.project ? `${r.target.project}/${r.target.stack}` : r.target.stack)} (${r.target.operation})`,
    `- Generated: ${r.generatedAt}`,
    `- Policy packs: ${r.packs.map((p) => code(`${p.name}@${p.version}`)).join(", ") || "none"}`,
    `- Resources checked: ${r.summary.resourcesChecked}`,
    `- Violations: ${r.summary.mandatory} mandatory, ${r.summary.advisory} advisory`,
    "",
  ];
  if (r.errors.length) {
    lines.push("## Errors", "", "The preview did not complete, so this report is incomplete:", "", ...r.errors.map((e) => `- ${cell(e)}`), "");
  }
  lines.push("## Violations", "");
  if (r.violations.length === 0) lines.push("None.", "");
  else {
    const order = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 } as const;
    const sorted = [...r.violations].sort((a, b) => order[a.level] - order[b.level] || a.policy.localeCompare(b.policy));
    lines.push("| level | policy | resource | violation |", "|---|---|---|---|", ...violationRows(sorted), "");
  }
  lines.push("## Stack policies", "");
  const stackRows = Object.entries(r.stackPolicies).flatMap(([pack, s]) => [
    ...s.passed.map((p) => `| ${code(`${pack}/${p}`)} | pass |`),
    ...s.failed.map((p) => `| ${code(`${pack}/${p}`)} | **fail** |`),
  ]);
  if (stackRows.length === 0) lines.push("None ran.", "");
  else lines.push("| policy | result |", "|---|---|", ...stackRows.sort(), "");
  lines.push("## Resources checked", "");
  if (r.resources.length === 0) lines.push("None.", "");
  else {
    lines.push("| resource | type | step | policies passed | policies failed |", "|---|---|---|---|---|");
    for (const res of r.resources) {
      const passed = Object.values(res.packs).reduce((n, p) => n + p.passed.length, 0);
      const failed = Object.entries(res.packs).flatMap(([pack, p]) => p.failed.map((f) => code(`${pack}/${f}`)));
      lines.push(`| ${code(res.name)} | ${code(res.type.replace("pulumi-nodejs:dynamic/", ""))} | ${res.operation ?? ""} | ${passed} | ${failed.join(", ") || "none"} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

export const renderJson = (r: PolicyReport) => JSON.stringify(r, null, 2) + "\n";
