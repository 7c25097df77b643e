/**
 * The report as one self-contained HTML page for people: the verdict, the violations, the stack
 * policies and every resource checked. Inline styles only — no script, font, image or stylesheet
 * from anywhere else — so it opens offline and as a CI artifact.
 */
import type { PolicyReport } from "./model";

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const shortType = (t: string) => t.replace("pulumi-nodejs:dynamic/", "");
const table = (head: string[], rows: string[][]) =>
  rows.length === 0
    ? "<p>None.</p>"
    : `<table><thead><tr>${head.map((h) => `<th>${escape(h)}</th>`).join("")}</tr></thead><tbody>${rows
        .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join("")}</tr>`)
        .join("")}</tbody></table>`;

const style = `body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330}
h1 .pass{color:#1a7f37}h1 .fail{color:#c0262d}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}
th,td{border:1px solid #d0d7de;padding:.35rem .6rem;text-align:left;vertical-align:top}th{background:#f3f5f8}
code{font:13px ui-monospace,monospace;background:#f3f5f8;padding:0 .2rem}.mandatory{color:#c0262d;font-weight:600}
.advisory{color:#9a6700}.remediate{color:#0969da}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}`;

export function renderHtml(r: PolicyReport): string {
  const verdict = r.summary.result === "pass" ? "PASS" : "FAIL";
  const stack = r.target.project ? `${r.target.project}/${r.target.stack}` : r.target.stack;
  const order = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 } as const;
  const violations = [...r.violations]
    .sort((a, b) => order[a.level] - order[b.level] || a.policy.localeCompare(b.policy))
    .map((v) => [
      `<span class="${v.level}">${escape(v.level)}</span>`,
      `<code>${escape(`${v.pack}/${v.policy}`)}</code>`,
      v.resource ? `<code>${escape(`${shortType(v.resource.type)} ${v.resource.name}`)}</code>` : "stack",
      escape(v.message).replace(/\n/g, "<br>"),
    ]);
  const stackPolicies = Object.entries(r.stackPolicies).flatMap(([pack, s]) => [
    ...s.passed.map((p) => [`<code>${escape(`${pack}/${p}`)}</code>`, "pass"]),
    ...s.failed.map((p) => [`<code>${escape(`${pack}/${p}`)}</code>`, '<span class="mandatory">fail</span>']),
  ]);
  const resources = r.resources.map((res) => {
    const passed = Object.values(res.packs).reduce((n, p) => n + p.passed.length, 0);
    const failed = Object.entries(res.packs).flatMap(([pack, p]) => p.failed.map((f) => `<code>${escape(`${pack}/${f}`)}</code>`));
    return [`<code>${escape(res.name)}</code>`, `<code>${escape(shortType(res.type))}</code>`, escape(res.operation ?? ""), String(passed), failed.join(", ") || "none"];
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Policy compliance report: ${verdict} — ${escape(stack)}</title>
<style>${style}</style>
</head>
<body>
<h1>Policy compliance report: <span class="${r.summary.result}">${verdict}</span></h1>
<dl>
<dt>Stack</dt><dd><code>${escape(stack)}</code> (${escape(r.target.operation)})</dd>
<dt>Generated</dt><dd>${escape(r.generatedAt)}</dd>
<dt>Policy packs</dt><dd>${r.packs.map((p) => `<code>${escape(`${p.name}@${p.version}`)}</code>`).join(", ") || "none"}</dd>
<dt>Resources checked</dt><dd>${r.summary.resourcesChecked}</dd>
<dt>Violations</dt><dd>${r.summary.mandatory} mandatory, ${r.summary.advisory} advisory</dd>
</dl>
${r.errors.length ? `<h2>Errors</h2><p>The preview did not complete, so this report is incomplete:</p><ul>${r.errors.map((e) => `<li>${escape(e)}</li>`).join("")}</ul>` : ""}
<h2>Violations</h2>
${table(["level", "policy", "resource", "violation"], violations)}
<h2>Stack policies</h2>
${table(["policy", "result"], stackPolicies)}
<h2>Resources checked</h2>
${table(["resource", "type", "step", "policies passed", "policies failed"], resources)}
</body>
</html>
`;
}
