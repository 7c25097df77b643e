#!/usr/bin/env node
// Writes docs/schemas/provision-report.schema.json and drift-report.schema.json (the `--json`
// outputs of `omnitenant provision` and `omnitenant drift`) from their TypeScript types, with the
// types' doc comments as descriptions. Run after changing automation/provision-types.ts or
// automation/drift-types.ts: node scripts/gen-report-schemas.js
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const TJS = require("typescript-json-schema");

const root = path.resolve(__dirname, "..");
const program = TJS.getProgramFromFiles([path.join(root, "automation", "provision-types.ts"), path.join(root, "automation", "drift-types.ts")], { strictNullChecks: true, esModuleInterop: true, skipLibCheck: true, target: "es2022", module: "commonjs", lib: ["lib.es2022.d.ts"] }, root);
const settings = { ignoreErrors: true, required: true, noExtraProps: true, ref: true, aliasRef: false, topRef: false };
const targets = [
  ["ProvisionReport", "provision-report.schema.json", "The JSON report of `omnitenant provision` (--report file)."],
  ["DriftReport", "drift-report.schema.json", "The JSON report of `omnitenant drift --json` (and its --report file)."],
];
for (const [type, file, title] of targets) {
  const schema = TJS.generateSchema(program, type, settings);
  if (!schema) throw new Error(`no schema for ${type}`);
  // A Record<string, number> (operation counts) maps any key to a number; the generator closes it.
  if (schema.definitions?.["Record<string,number>"]) schema.definitions["Record<string,number>"] = { type: "object", additionalProperties: { type: "number" } };
  const { $schema: _drop, ...body } = schema;
  const text = `${JSON.stringify({ $schema: "http://json-schema.org/draft-07/schema#", title, ...body }, null, 2)}\n`;
  fs.writeFileSync(path.join(root, "docs", "schemas", file), text);
  console.log(`docs/schemas/${file}`);
}
