#!/usr/bin/env node
// Entry point of `npm test`, `npm run quickstart` and `npm run bench` on a fresh machine: installs
// the npm dependencies when they are missing or stale, compiles the TypeScript, finds or builds
// the Pulumi CLI, then runs the task with the CLI on PATH. Node built-ins only.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const [task, ...rest] = process.argv.slice(2);

function run(cmd, args, env = process.env) {
  const result = spawnSync(cmd, args, { cwd: repoRoot, stdio: "inherit", env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function step(message) {
  process.stderr.write(`omnitenant: ${message}\n`);
}

/** `npm ci` when node_modules is missing or older than package-lock.json. */
function ensureDependencies() {
  const marker = path.join(repoRoot, "node_modules", ".package-lock.json");
  const lock = path.join(repoRoot, "package-lock.json");
  const stale = !fs.existsSync(marker) || fs.statSync(marker).mtimeMs < fs.statSync(lock).mtimeMs;
  if (!stale) return;
  step("installing npm dependencies (npm ci; builds the SQLite binding from source, a minute or two)");
  if (run("npm", ["ci", "--no-audit", "--no-fund"]) !== 0) throw new Error("npm ci failed; see the output above");
}

/** examples/quickstart is a program folder: `npm install` there links this checkout as its omnitenant. */
function linkQuickstart() {
  const dir = path.join(repoRoot, "examples", "quickstart");
  if (fs.existsSync(path.join(dir, "node_modules", "omnitenant", "package.json"))) return;
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: dir, stdio: "inherit" });
  if (r.status !== 0) throw new Error("npm install in examples/quickstart failed; see the output above");
}

function compile() {
  step("compiling TypeScript (tsc)");
  if (run(path.join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"]) !== 0) {
    throw new Error("tsc failed; fix the type errors above");
  }
}

/**
 * Jest prints its own summary; this adds the closing line CI reads: the plain `N passed, N failed`,
 * nothing before the numbers, as the very last line of the run.
 */
function runTests(env) {
  const resultsDir = path.join(repoRoot, "results");
  fs.mkdirSync(resultsDir, { recursive: true });
  const report = path.join(resultsDir, "jest.json");
  fs.rmSync(report, { force: true });
  let status = run(path.join(repoRoot, "node_modules", ".bin", "jest"), ["--ci", "--json", `--outputFile=${report}`, ...rest], env);
  let passed = 0;
  let failed = 0;
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, "utf8"));
    passed = r.numPassedTests;
    failed = r.numFailedTests;
    const skipped = r.numPendingTests + r.numTodoTests;
    if (skipped) console.log(`omnitenant: ${skipped} tests skipped`);
    if (r.numTotalTests === 0) {
      console.error("omnitenant: no test ran");
      status = 1;
    }
  } else {
    console.error("omnitenant: jest wrote no report; see its output above");
    status = status || 1;
  }
  console.log(`${passed} passed, ${failed} failed`);
  return status;
}

/**
 * The report page's browser test drives Debian's chromium through playwright-core (no browser
 * download): install the package when it is missing. CI runs as root; elsewhere say what to run.
 */
function ensureChromium() {
  const chromium = "/usr/bin/chromium";
  if (fs.existsSync(chromium)) return;
  if (typeof process.getuid === "function" && process.getuid() !== 0) {
    step(`${chromium} is missing: the report page's browser test needs it (sudo apt-get install -y chromium)`);
    return;
  }
  step("installing Debian's chromium for the report page's browser test (apt-get, once)");
  if (run("apt-get", ["update", "-qq"]) !== 0 || run("apt-get", ["install", "-y", "-qq", "chromium"]) !== 0) {
    throw new Error("apt-get install chromium failed; see the output above");
  }
}

async function main() {
  const tasks = {
    test: (env) => runTests(env),
    quickstart: (env) => run("node", [path.join(repoRoot, "dist", "examples", "quickstart", "deploy.js"), ...rest], env),
    bench: (env) => run("node", [path.join(repoRoot, "dist", "tests", "bench", "index.js"), ...rest], env),
  };
  if (!tasks[task]) throw new Error(`unknown task ${JSON.stringify(task)}; use one of ${Object.keys(tasks).join(", ")}`);
  ensureDependencies();
  linkQuickstart();
  if (task === "test") ensureChromium();
  compile();
  const { ensurePulumiCli } = require("./pulumi-cli.js");
  const cli = await ensurePulumiCli();
  step(`using the Pulumi CLI v${cli.version} at ${cli.pulumi}`);
  // Each run of the engine sets its own environment (automation/engine.ts); nothing is exported
  // here, so that a task sees the user's PULUMI_BACKEND_URL and PATH as they are.
  return tasks[task](process.env);
}

main().then(
  (status) => process.exit(status),
  (err) => {
    console.error(`omnitenant: ${err.message}`);
    process.exit(1);
  },
);
