#!/usr/bin/env node
/**
 * `npm run test:unit`: jest on one project of jest.config.js. jest itself exits 0 when
 * --selectProjects names no project, so the name is checked here first; a project that selects no
 * test makes jest exit 1 ("No tests found").
 */
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const [name, ...rest] = process.argv.slice(2);
const projects = (require(path.join(root, "jest.config.js")).projects ?? []).map((p) => p.displayName);
if (!projects.includes(name)) {
  console.error(`run-project: jest.config.js has no project ${JSON.stringify(name)}; it has ${projects.map((p) => JSON.stringify(p)).join(", ")}`);
  process.exit(1);
}
const jest = path.join(root, "node_modules", ".bin", "jest");
const out = spawnSync(jest, ["--selectProjects", name, ...rest], { cwd: root, stdio: "inherit" });
process.exit(out.status ?? 1);
