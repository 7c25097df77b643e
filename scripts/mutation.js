#!/usr/bin/env node
// Entry point of `npm run mutation`: runs Stryker (stryker.config.json; extra arguments are passed
// on, e.g. `npm run mutation -- --concurrency 2` or `-- --force` to retest everything), then prints
// the score per file and the surviving mutants (scripts/mutation-summary.js), also when the run was
// stopped: the checkpoint reporter keeps what it tested, and the next run resumes from there.
"use strict";

const { spawnSync } = require("node:child_process");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const stryker = path.join(repoRoot, "node_modules", ".bin", "stryker");
const run = spawnSync(stryker, ["run", "stryker.config.json", ...process.argv.slice(2)], { cwd: repoRoot, stdio: "inherit" });
if (run.error) throw run.error;
spawnSync(process.execPath, [path.join(__dirname, "mutation-summary.js")], { cwd: repoRoot, stdio: "inherit" });
process.exit(run.status ?? 1);
