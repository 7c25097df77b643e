#!/usr/bin/env node
// Writes docs/resources.md and docs/schemas/<Kind>.json from the zod schemas (compiled: run
// `npm run build` first). `--check` exits 1 when the committed files are out of date.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { resourcesMarkdown, schemaFiles } = require("../dist/provider/schemas/docs");

const docs = path.join(__dirname, "..", "docs");
const wanted = { "resources.md": resourcesMarkdown() };
for (const [file, text] of Object.entries(schemaFiles())) wanted[path.join("schemas", file)] = text;

const check = process.argv.includes("--check");
const stale = [];
for (const [file, text] of Object.entries(wanted)) {
  const target = path.join(docs, file);
  const current = fs.existsSync(target) ? fs.readFileSync(target, "utf8") : undefined;
  if (current === text) continue;
  stale.push(file);
  if (!check) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}
if (check && stale.length) {
  console.error(`docs are out of date (${stale.join(", ")}); run: npm run build && node scripts/gen-docs.js`);
  process.exit(1);
}
console.log(stale.length ? `wrote ${stale.join(", ")}` : "docs are up to date");
