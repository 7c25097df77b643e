#!/usr/bin/env node
// A second run of the suite, not a CI step (see README, "Supported versions"): the suite on the current Node.js LTS (24) with the newest @pulumi/pulumi and
// @pulumi/policy and the Pulumi CLI of the same version (built from its Go modules when a wrapper
// module for it exists in scripts/pulumi-cli/, else the newest one older).
//
// Node.js 24 comes from the npm registry's platform package (`node-<os>-<arch>@24`, the binaries the
// `node` package installs), cached in ~/.cache/omnitenant/node/. That package also carries Node's
// headers (include/node), so node-gyp compiles the SQLite binding against them (npm_config_nodedir)
// instead of fetching headers or, offline, using the running system's. The suite runs in a copy of the
// checkout (tracked and untracked-but-not-ignored files) under .omnitenant/node24/, whose own
// node_modules hold the Node.js 24 builds of the native modules and the newest Pulumi packages;
// the checkout itself is not touched. Arguments are passed to jest (a subset: test paths);
// `--prepare` alone only prepares the copy (Node.js, packages, SQLite binding) and exits.
// Node built-ins only.
"use strict";

const { spawnSync, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const major = process.env.OMNITENANT_NODE_MAJOR || "24";
const step = (m) => process.stderr.write(`omnitenant node${major}: ${m}\n`);

function run(cmd, args, opts) {
  const r = spawnSync(cmd, args, { stdio: "inherit", ...opts });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited with ${r.status}`);
}

/** bin directory of Node.js <major>, fetched once with `npm pack node-<os>-<arch>@<major>`. */
function nodeBin() {
  const pkg = `node-${process.platform}-${process.arch}`;
  const cache = path.join(process.env.OMNITENANT_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "omnitenant"), "node", `v${major}`);
  const bin = path.join(cache, "bin");
  if (fs.existsSync(path.join(bin, "node"))) return bin;
  step(`fetching Node.js ${major} (${pkg}@${major})`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-node-"));
  const [packed] = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", tmp, `${pkg}@${major}`], { encoding: "utf8" }));
  run("tar", ["xzf", path.join(tmp, packed.filename), "-C", tmp]);
  fs.rmSync(cache, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(cache), { recursive: true });
  fs.renameSync(path.join(tmp, "package"), cache);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (!fs.existsSync(path.join(bin, "node"))) throw new Error(`${pkg}@${major} has no bin/node`);
  fs.chmodSync(path.join(bin, "node"), 0o755);
  return bin;
}

/** The checkout's files (not its node_modules, dist or state) copied to dir, replacing what changed. */
function copyCheckout(dir) {
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: repoRoot, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    const from = path.join(repoRoot, file);
    if (!fs.existsSync(from) || fs.lstatSync(from).isDirectory()) continue;
    const to = path.join(dir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

/** Whether better-sqlite3 in dir loads under this Node.js (its binding was built for another ABI after an older run). */
function sqliteLoads(node, dir, env) {
  const probe = 'new (require("better-sqlite3"))(":memory:").close()';
  return spawnSync(node, ["-e", probe], { cwd: dir, env, stdio: "ignore" }).status === 0;
}

function main() {
  const bin = nodeBin();
  const nodeDir = path.dirname(bin);
  if (!fs.existsSync(path.join(nodeDir, "include", "node", "node_api.h"))) throw new Error(`${nodeDir} has no include/node headers to compile the SQLite binding against`);
  const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, npm_config_nodedir: nodeDir };
  const version = execFileSync(path.join(bin, "node"), ["--version"], { encoding: "utf8" }).trim();
  const dir = path.join(repoRoot, ".omnitenant", `node${major}`, "checkout");
  fs.mkdirSync(dir, { recursive: true });
  copyCheckout(dir);
  step(`Node.js ${version}; installing the newest @pulumi/pulumi and @pulumi/policy in ${path.relative(repoRoot, dir)}`);
  // Compiles better-sqlite3 for this Node.js once; later runs only check.
  run("npm", ["install", "--no-audit", "--no-fund", "--save-dev", "--save-exact", "@pulumi/pulumi@latest", "@pulumi/policy@latest"], { cwd: dir, env });
  if (!sqliteLoads(path.join(bin, "node"), dir, env)) {
    step(`compiling the SQLite binding against Node.js ${version}'s headers`);
    run("npm", ["rebuild", "better-sqlite3"], { cwd: dir, env });
    if (!sqliteLoads(path.join(bin, "node"), dir, env)) throw new Error(`better-sqlite3 does not load on Node.js ${version} after rebuilding it`);
  }
  const sdk = JSON.parse(fs.readFileSync(path.join(dir, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")).version;
  if (process.argv[2] === "--prepare") {
    step(`@pulumi/pulumi ${sdk}; prepared ${path.relative(repoRoot, dir)}`);
    return 0;
  }
  step(`@pulumi/pulumi ${sdk}; running the tests`);
  const r = spawnSync(path.join(bin, "node"), [path.join(dir, "scripts", "run.js"), "test", ...process.argv.slice(2)], { cwd: dir, env, stdio: "inherit" });
  return r.status ?? 1;
}

try {
  process.exit(main());
} catch (err) {
  console.error(`omnitenant node${major}: ${err.message}`);
  process.exit(1);
}
