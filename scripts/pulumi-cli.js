#!/usr/bin/env node
// Finds or builds the Pulumi CLI that omnitenant runs, and the environment to run it in.
//
// A user who has `pulumi` on PATH gets that one at once. Otherwise the CLI is built from its Go
// modules at the version of @pulumi/pulumi that package.json pins (the wrapper module in
// scripts/pulumi-cli/ requires github.com/pulumi/pulumi/pkg/v3 at that version; its go.sum pins
// every hash), and cached outside the clone, keyed by version, so later runs and CI reuse it.
// Plain CommonJS with Node built-ins only: it runs before `npm ci` has installed anything.
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const wrapperDir = path.join(__dirname, "pulumi-cli");
const pluginsDir = path.join(__dirname, "pulumi-plugins");

function pinnedVersion() {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
  const version = pkg.dependencies["@pulumi/pulumi"];
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`@pulumi/pulumi must be pinned to an exact version in package.json, found ${version}`);
  const goMod = fs.readFileSync(path.join(wrapperDir, "go.mod"), "utf8");
  if (!goMod.includes(`github.com/pulumi/pulumi/pkg/v3 v${version}`)) {
    throw new Error(`scripts/pulumi-cli/go.mod does not require github.com/pulumi/pulumi/pkg/v3 v${version}; update it with the npm pin`);
  }
  return version;
}

function cacheRoot() {
  const base = process.env.OMNITENANT_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "omnitenant");
  return path.join(base, "pulumi");
}

function which(cmd) {
  for (const dir of (process.env.PATH || "").split(path.delimiter)) {
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

function versionOf(binary) {
  const out = spawnSync(binary, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
  return out.status === 0 ? out.stdout.trim().replace(/^v/, "") : undefined;
}

/** PULUMI_HOME for the CLI omnitenant built: its plugin cache holds the policy-pack launcher. */
function homeFor(binDir) {
  return path.join(path.dirname(binDir), "home");
}

/**
 * Places the plugins the engine loads: the dynamic-provider host shipped in @pulumi/pulumi beside
 * the CLI (where the engine looks for bundled plugins), and the Node.js policy-pack launcher in the
 * plugin cache (a non-bundled plugin found on PATH draws a warning on every run).
 */
function placePlugins(binDir, version) {
  const pulumiPackage = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] }));
  const analyzerDir = path.join(homeFor(binDir), "plugins", `analyzer-policy-nodejs-v${version}`);
  fs.mkdirSync(analyzerDir, { recursive: true });
  const copies = [
    [path.join(pulumiPackage, "pulumi-resource-pulumi-nodejs"), binDir],
    [path.join(pluginsDir, "pulumi-analyzer-policy-nodejs"), analyzerDir],
  ];
  for (const [source, dir] of copies) {
    const target = path.join(dir, path.basename(source));
    fs.copyFileSync(source, target);
    fs.chmodSync(target, 0o755);
  }
  fs.rmSync(path.join(binDir, "pulumi-analyzer-policy-nodejs"), { force: true });
}

function formatDuration(ms) {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/** Builds the CLI with `go build`, showing how many packages are done, into <cache>/v<version>/bin. */
async function build(version, binDir) {
  if (!which("go")) {
    throw new Error("The Pulumi CLI is not on PATH and Go is not installed to build it. Install the Pulumi CLI, or Go 1.25+, and run again.");
  }
  const started = Date.now();
  const tmpBin = `${binDir}.partial`;
  fs.rmSync(tmpBin, { recursive: true, force: true });
  fs.mkdirSync(tmpBin, { recursive: true });
  const log = (line) => process.stderr.write(line);
  log(`omnitenant: building the Pulumi CLI v${version} from its Go modules (first run only; about 5–10 minutes on 2 cores, cached in ${path.dirname(binDir)})\n`);
  const env = {
    ...process.env,
    GOFLAGS: "-mod=readonly",
    GOTOOLCHAIN: "local",
    // go.sum in scripts/pulumi-cli pins every module hash; the checksum database is not reachable everywhere.
    GOSUMDB: process.env.GOSUMDB || "off",
    CGO_ENABLED: "0",
  };
  const args = [
    "build", "-v", "-trimpath",
    "-ldflags", `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
    "-o", path.join(tmpBin, "pulumi"),
    "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
  ];
  const interactive = process.stderr.isTTY && !process.env.CI;
  let packages = 0;
  let lastReport = Date.now();
  const tail = [];
  await new Promise((resolve, reject) => {
    const child = spawn("go", args, { cwd: wrapperDir, env, stdio: ["ignore", "ignore", "pipe"] });
    let pending = "";
    child.stderr.on("data", (chunk) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop();
      for (const line of lines) {
        if (/^[\w.\-/]+$/.test(line)) packages += 1; // `go build -v` names each package it compiles
        tail.push(line);
        if (tail.length > 40) tail.shift();
      }
      const now = Date.now();
      if (interactive) {
        log(`\r  ${packages} packages compiled, ${formatDuration(now - started)} elapsed `);
      } else if (now - lastReport > 30_000) {
        lastReport = now;
        log(`  … ${packages} packages compiled, ${formatDuration(now - started)} elapsed\n`);
      }
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (interactive) log("\n");
      if (code === 0) resolve();
      else reject(new Error(`go build of the Pulumi CLI failed (exit ${code}):\n${tail.join("\n")}`));
    });
  });
  const built = versionOf(path.join(tmpBin, "pulumi"));
  if (built !== version) throw new Error(`the Pulumi CLI built from Go reports version ${built}, expected ${version}`);
  fs.rmSync(binDir, { recursive: true, force: true });
  fs.renameSync(tmpBin, binDir);
  log(`omnitenant: Pulumi CLI v${version} built in ${formatDuration(Date.now() - started)}\n`);
}

/**
 * Returns `{ binDir, pulumi, version, source }`: the directory holding `pulumi` and the plugins,
 * building the CLI first when it is neither on PATH nor cached.
 */
async function ensurePulumiCli() {
  const version = pinnedVersion();
  const found = process.env.OMNITENANT_BUILD_PULUMI ? undefined : which("pulumi");
  // The CLI omnitenant built, put on PATH by hand, is still the cached one (with its plugins).
  const onPath = found && !fs.realpathSync(found).startsWith(cacheRoot() + path.sep) ? found : undefined;
  if (onPath) {
    const real = fs.realpathSync(onPath);
    return { binDir: path.dirname(real), pulumi: real, version: versionOf(real) || "unknown", source: "PATH" };
  }
  const binDir = path.join(cacheRoot(), `v${version}`, "bin");
  const pulumi = path.join(binDir, "pulumi");
  if (!fs.existsSync(pulumi) || versionOf(pulumi) !== version) {
    await build(version, binDir);
  }
  placePlugins(binDir, version);
  return { binDir, pulumi, version, source: "cache", home: homeFor(binDir) };
}

/** The environment every Pulumi run of omnitenant uses: offline, unattended, local file backend. */
function pulumiEnv(binDir, overrides = {}) {
  const stateDir = overrides.stateDir || path.join(repoRoot, ".omnitenant", "state");
  fs.mkdirSync(stateDir, { recursive: true });
  // Only the CLI omnitenant built gets its own PULUMI_HOME; a user's installation keeps theirs.
  const home = homeFor(binDir);
  return {
    ...(fs.existsSync(path.join(home, "plugins")) ? { PULUMI_HOME: home } : {}),
    PATH: `${binDir}${path.delimiter}${process.env.PATH || ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_BACKEND_URL: process.env.PULUMI_BACKEND_URL || `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "omnitenant-local",
  };
}

module.exports = { ensurePulumiCli, pulumiEnv, pinnedVersion, repoRoot };

if (require.main === module) {
  ensurePulumiCli().then(
    (cli) => console.log(`${cli.pulumi} (v${cli.version}, from ${cli.source})`),
    (err) => {
      console.error(`omnitenant: ${err.message}`);
      process.exit(1);
    },
  );
}
