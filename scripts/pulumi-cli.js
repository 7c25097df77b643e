#!/usr/bin/env node
// Finds or builds the Pulumi CLI that omnitenant runs, and the environment to run it in.
//
// A user who has `pulumi` on PATH gets that one at once. Otherwise the CLI is built from its Go
// modules at the version of the @pulumi/pulumi actually installed, when a wrapper module for it
// exists in scripts/pulumi-cli/v<version>/ (it requires github.com/pulumi/pulumi/pkg/v3 at that
// version; its go.sum pins every hash) — else at the newest wrapper not newer than the installed
// SDK, else the oldest (the minimum the package supports) — and cached outside the clone, keyed by
// version, so later runs and CI reuse it. Beside it goes Pulumi's Node.js language host, built
// from its source when that is present (see languageHostSource), so program folders run with a
// plain `pulumi up`. The Go wrappers are in the repository, not in the published package: an
// installed omnitenant uses the `pulumi` on PATH or a CLI already cached.
// Plain CommonJS with Node built-ins only: it runs before `npm ci` has installed anything.
"use strict";

const { spawn, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const wrapperRoot = path.join(__dirname, "pulumi-cli");
const pluginsDir = path.join(__dirname, "pulumi-plugins");

/** The version of @pulumi/pulumi installed for omnitenant (the user's program shares it). */
function installedSdkVersion() {
  const manifest = require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] });
  return JSON.parse(fs.readFileSync(manifest, "utf8")).version;
}

function compareVersions(a, b) {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

/**
 * Every @pulumi/pulumi after 3.248.0 needs Node.js 22 or later; on an older Node.js the SDK fails
 * in obscure ways. Say so, with the two ways out, before anything runs.
 */
function checkNodeForSdk() {
  const manifest = require.resolve("@pulumi/pulumi/package.json", { paths: [repoRoot] });
  const { version, engines } = JSON.parse(fs.readFileSync(manifest, "utf8"));
  const minimum = /^>=\s*(\d+)/.exec(engines?.node ?? "")?.[1];
  const major = Number(process.versions.node.split(".")[0]);
  if (minimum && major < Number(minimum)) {
    throw new Error(
      `@pulumi/pulumi ${version} needs Node.js ${engines.node}, and this is Node.js ${process.versions.node}. ` +
        `Use Node.js 24 LTS, or stay on Node.js ${major} with \`npm install @pulumi/pulumi@3.248.0 @pulumi/policy@1.21.0\` (the last release for Node.js 20).`,
    );
  }
}

/** Versions of the CLI that can be built here: scripts/pulumi-cli/v<version>/go.mod, each checked. */
function wrapperVersions() {
  if (!fs.existsSync(wrapperRoot)) return [];
  const versions = [];
  for (const entry of fs.readdirSync(wrapperRoot)) {
    const m = /^v(\d+\.\d+\.\d+)$/.exec(entry);
    if (!m) continue;
    const goMod = fs.readFileSync(path.join(wrapperRoot, entry, "go.mod"), "utf8");
    if (!goMod.includes(`github.com/pulumi/pulumi/pkg/v3 ${entry}\n`)) {
      throw new Error(`scripts/pulumi-cli/${entry}/go.mod does not require github.com/pulumi/pulumi/pkg/v3 ${entry}`);
    }
    versions.push(m[1]);
  }
  return versions.sort(compareVersions);
}

/** Versions already built in the cache. */
function cachedVersions() {
  const root = cacheRoot();
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root)
    .map((entry) => /^v(\d+\.\d+\.\d+)$/.exec(entry)?.[1])
    .filter((v) => v && fs.existsSync(path.join(root, `v${v}`, "bin", "pulumi")))
    .sort(compareVersions);
}

/**
 * The CLI version omnitenant runs when it uses its own: the installed SDK's when it can be built or
 * is cached, else the newest not newer than the SDK, else the oldest available.
 */
function cliVersion(sdk = installedSdkVersion()) {
  const available = [...new Set([...wrapperVersions(), ...cachedVersions()])].sort(compareVersions);
  if (available.length === 0) return sdk;
  if (available.includes(sdk)) return sdk;
  const older = available.filter((v) => compareVersions(v, sdk) <= 0);
  return older.length > 0 ? older[older.length - 1] : available[0];
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

const log = (line) => process.stderr.write(line);

/**
 * Pulumi's Node.js language host source (sdk/nodejs/cmd/pulumi-language-nodejs of Pulumi's own
 * repository, whose Go module the proxy does not serve): OMNITENANT_LANGUAGE_HOST_SRC, else a
 * `shared/pulumi-language-nodejs` folder beside the clone or one of its ancestors.
 */
function languageHostSource() {
  const candidates = process.env.OMNITENANT_LANGUAGE_HOST_SRC ? [process.env.OMNITENANT_LANGUAGE_HOST_SRC] : [];
  for (let dir = path.dirname(repoRoot); ; dir = path.dirname(dir)) {
    candidates.push(path.join(dir, "shared", "pulumi-language-nodejs"));
    if (path.dirname(dir) === dir) break;
  }
  return candidates.find((dir) => fs.existsSync(path.join(dir, "go.mod")) && fs.existsSync(path.join(dir, "main.go")));
}

/**
 * `go build` of one program, showing how many packages are done. Holds the machine's heavy-work
 * lock (OMNITENANT_BUILD_LOCK, default <tmp>/omnitenant-heavy.lock) where flock(1) exists, so
 * that builds do not run beside engine tests on a small machine.
 */
async function goBuild({ what, cwd, pkg, output, ldflags }) {
  if (!which("go")) {
    throw new Error(`${what} is not on PATH and Go is not installed to build it. Install the Pulumi CLI, or Go 1.25+, and run again.`);
  }
  const started = Date.now();
  const env = {
    ...process.env,
    GOFLAGS: "-mod=readonly",
    GOTOOLCHAIN: "local",
    // go.sum pins every module hash; the checksum database is not reachable everywhere.
    GOSUMDB: process.env.GOSUMDB || "off",
    CGO_ENABLED: "0",
  };
  const goArgs = ["build", "-v", "-trimpath", ...(ldflags ? ["-ldflags", ldflags] : []), "-o", output, pkg];
  const lockFile = process.env.OMNITENANT_BUILD_LOCK || path.join(os.tmpdir(), "omnitenant-heavy.lock");
  // A process that already holds the lock and then needs a build would wait for itself: give up after 30 minutes.
  const [cmd, args] = which("flock") ? ["flock", ["-w", "1800", "-E", "75", lockFile, "go", ...goArgs]] : ["go", goArgs];
  const interactive = process.stderr.isTTY && !process.env.CI;
  let packages = 0;
  let lastReport = Date.now();
  const tail = [];
  await new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
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
      else if (code === 75 && cmd === "flock") reject(new Error(`waited 30 minutes for ${lockFile} to build ${what}; the process holding it may be the one that needs the build — run \`node scripts/pulumi-cli.js\` first`));
      else reject(new Error(`go build of ${what} failed (exit ${code}):\n${tail.join("\n")}`));
    });
  });
  return Date.now() - started;
}

/** Builds the CLI into <cache>/v<version>/bin. */
async function buildCli(version, binDir) {
  const wrapperDir = path.join(wrapperRoot, `v${version}`);
  if (!fs.existsSync(path.join(wrapperDir, "go.mod"))) {
    throw new Error(
      `the Pulumi CLI is not on PATH and omnitenant has no CLI v${version} cached; install the Pulumi CLI (v${version} or later) and run again`,
    );
  }
  const tmpBin = `${binDir}.partial`;
  fs.rmSync(tmpBin, { recursive: true, force: true });
  fs.mkdirSync(tmpBin, { recursive: true });
  log(`omnitenant: building the Pulumi CLI v${version} from its Go modules (first run only; about 5–10 minutes on 2 cores, cached in ${path.dirname(binDir)})\n`);
  const ms = await goBuild({
    what: "the Pulumi CLI",
    cwd: wrapperDir,
    pkg: "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi",
    output: path.join(tmpBin, "pulumi"),
    ldflags: `-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v${version}`,
  });
  const built = versionOf(path.join(tmpBin, "pulumi"));
  if (built !== version) throw new Error(`the Pulumi CLI built from Go reports version ${built}, expected ${version}`);
  fs.rmSync(binDir, { recursive: true, force: true });
  fs.renameSync(tmpBin, binDir);
  log(`omnitenant: Pulumi CLI v${version} built in ${formatDuration(ms)}\n`);
}

/**
 * Pulumi's Node.js language host beside the cached CLI (where the engine finds bundled plugins),
 * so that a program folder runs with a plain `pulumi up` and `--policy-pack` runs packs as with a
 * regular installation. Built from its source when that is present and no language host is on
 * PATH; otherwise program folders need a Pulumi installation (inline programs never do).
 */
async function ensureLanguageHost(binDir) {
  const target = path.join(binDir, "pulumi-language-nodejs");
  if (fs.existsSync(target)) return target;
  const onPath = which("pulumi-language-nodejs");
  if (onPath && !fs.realpathSync(onPath).startsWith(cacheRoot() + path.sep)) return undefined;
  const source = languageHostSource();
  if (!source) return undefined;
  log(`omnitenant: building Pulumi's Node.js language host from ${source} (first run only; about a minute)\n`);
  const partial = `${target}.partial`;
  const ms = await goBuild({ what: "the Node.js language host", cwd: source, pkg: ".", output: partial, ldflags: "-s -w" });
  fs.renameSync(partial, target);
  log(`omnitenant: Node.js language host built in ${formatDuration(ms)}\n`);
  return target;
}

/**
 * Returns `{ binDir, pulumi, version, source, home, languageHost }`: the directory holding `pulumi`
 * and the plugins, building the CLI (and the language host) first when not on PATH nor cached.
 */
async function ensurePulumiCli() {
  checkNodeForSdk();
  const found = process.env.OMNITENANT_BUILD_PULUMI ? undefined : which("pulumi");
  // The CLI omnitenant built, put on PATH by hand, is still the cached one (with its plugins).
  const onPath = found && !fs.realpathSync(found).startsWith(cacheRoot() + path.sep) ? found : undefined;
  if (onPath) {
    const real = fs.realpathSync(onPath);
    return { binDir: path.dirname(real), pulumi: real, version: versionOf(real) || "unknown", source: "PATH" };
  }
  const version = cliVersion();
  const binDir = path.join(cacheRoot(), `v${version}`, "bin");
  const pulumi = path.join(binDir, "pulumi");
  if (!fs.existsSync(pulumi) || versionOf(pulumi) !== version) {
    await buildCli(version, binDir);
  }
  placePlugins(binDir, version);
  const languageHost = await ensureLanguageHost(binDir);
  return { binDir, pulumi, version, source: "cache", home: homeFor(binDir), languageHost };
}

/** The environment every Pulumi run of omnitenant uses: offline, unattended, local file backend. */
function pulumiEnv(binDir, overrides = {}) {
  const stateDir = overrides.stateDir || path.join(process.cwd(), ".omnitenant", "state");
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

module.exports = { ensurePulumiCli, checkNodeForSdk, pulumiEnv, cliVersion, installedSdkVersion, wrapperVersions, languageHostSource, repoRoot };

if (require.main === module) {
  ensurePulumiCli().then(
    (cli) => {
      console.log(`${cli.pulumi} (v${cli.version}, from ${cli.source})`);
      if (cli.languageHost) console.log(`${cli.languageHost} (Node.js language host)`);
    },
    (err) => {
      console.error(`omnitenant: ${err.message}`);
      process.exit(1);
    },
  );
}
