#!/usr/bin/env node
// Prints the mutation score per file and the surviving mutants, from Stryker's JSON report
// (results/mutation.json, a complete run) or the checkpoint of a stopped run
// (results/stryker-incremental.json), whichever is newer. Node built-ins only.
//   node scripts/mutation-summary.js [report.json]
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const candidates = process.argv[2]
  ? [path.resolve(process.argv[2])]
  : ["results/mutation.json", "results/stryker-incremental.json"].map((f) => path.join(repoRoot, f));

const existing = candidates.filter((f) => fs.existsSync(f));
if (existing.length === 0) {
  console.error(`mutation summary: no report (${candidates.map((f) => path.relative(repoRoot, f)).join(", ")}); run npm run mutation`);
  process.exit(1);
}
const reportFile = existing.sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs)[0];
const report = JSON.parse(fs.readFileSync(reportFile, "utf8"));

// Stryker's score: killed and timed-out mutants over all mutants that are valid and not ignored.
const DETECTED = new Set(["Killed", "Timeout"]);
const UNDETECTED = new Set(["Survived", "NoCoverage"]);
const COLUMNS = ["Killed", "Timeout", "Survived", "NoCoverage", "CompileError", "RuntimeError", "Ignored"];

function tally(mutants) {
  const count = Object.fromEntries(COLUMNS.map((c) => [c, 0]));
  for (const m of mutants) count[m.status] = (count[m.status] ?? 0) + 1;
  const detected = [...DETECTED].reduce((n, s) => n + count[s], 0);
  const valid = detected + [...UNDETECTED].reduce((n, s) => n + count[s], 0);
  return { count, detected, valid, score: valid ? (100 * detected) / valid : NaN };
}

const pad = (s, n) => String(s).padEnd(n);
const num = (s, n) => String(s).padStart(n);
const pct = (x) => (Number.isNaN(x) ? "   n/a" : `${x.toFixed(1).padStart(5)}%`);

const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
const width = Math.max(20, ...files.map(([f]) => f.length));
const header = `${pad("file", width)}  ${"score".padStart(6)}  ${COLUMNS.map((c) => num(c === "NoCoverage" ? "NoCov" : c === "CompileError" ? "Compile" : c === "RuntimeError" ? "Runtime" : c, 8)).join("")}`;

console.log(`\nMutation score (${path.relative(repoRoot, reportFile)})`);
if (report.checkpoint) {
  const { tested, planned, at } = report.checkpoint;
  console.log(`PARTIAL: the run stopped after ${tested} of ${planned} mutants (${at}); \`npm run mutation\` resumes it.`);
}
console.log(header);
console.log("-".repeat(header.length));
const all = [];
for (const [file, { mutants }] of files) {
  all.push(...mutants);
  const t = tally(mutants);
  console.log(`${pad(file, width)}  ${pct(t.score)}  ${COLUMNS.map((c) => num(t.count[c], 8)).join("")}`);
}
const total = tally(all);
console.log("-".repeat(header.length));
console.log(`${pad("all files", width)}  ${pct(total.score)}  ${COLUMNS.map((c) => num(total.count[c], 8)).join("")}`);
console.log(`killed or timed out: ${total.detected} of ${total.valid} tested mutants (${pct(total.score).trim()})`);

/** The mutated text and its replacement, on one line. */
function describe(source, m) {
  const lines = source.split("\n");
  const { start, end } = m.location;
  let original;
  if (start.line === end.line) original = lines[start.line - 1].slice(start.column - 1, end.column - 1);
  else original = [lines[start.line - 1].slice(start.column - 1), "…", lines[end.line - 1].slice(0, end.column - 1)].join(" ");
  const oneLine = (s) => s.replace(/\s+/g, " ").trim();
  const clip = (s) => (s.length > 70 ? `${s.slice(0, 67)}...` : s);
  return `${clip(oneLine(original))}  ->  ${clip(oneLine(m.replacement ?? m.mutatorName))}`;
}

const survivors = files.flatMap(([file, { source, mutants }]) =>
  mutants
    .filter((m) => UNDETECTED.has(m.status))
    .sort((a, b) => a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column)
    .map((m) => `  ${file}:${m.location.start.line}:${m.location.start.column}  ${m.status === "NoCoverage" ? "NoCoverage" : "Survived"}  ${m.mutatorName}  ${describe(source, m)}`),
);
console.log(`\nSurviving mutants (${survivors.length}):`);
for (const line of survivors) console.log(line);
