/**
 * omnitenant as a user gets it: `npm pack`, then the tarball installed into an empty folder outside
 * the repository with `--omit=dev`, beside the @pulumi/pulumi and @pulumi/policy this repository
 * builds against (the versions a user's program declares; omnitenant takes them as peers). One
 * installation per tarball content and Node.js major, shared by the test files that use it (a
 * lock directory keeps two jest workers from installing at once).
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import cli = require("../../scripts/pulumi-cli");

export const repoRoot = path.resolve(__dirname, "..", "..");

export interface PackedFile {
  path: string;
}

export interface Installed {
  /** The user's folder: package.json, node_modules, the tarball. */
  root: string;
  /** What `npm pack` put in the tarball. */
  files: string[];
  /** Environment for commands run there: the cached Pulumi CLI on PATH, a file backend in the folder. */
  env: NodeJS.ProcessEnv;
  /** `node_modules/.bin/omnitenant` of the installation. */
  bin: string;
}

const versionOf = (pkg: string) => JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [repoRoot] }), "utf8")).version as string;

function pack(): { tarball: string; files: string[] } {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-pack-"));
  const json = execFileSync("npm", ["pack", "--json", "--pack-destination", out], { cwd: repoRoot, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const [result] = JSON.parse(json) as Array<{ filename: string; files: PackedFile[] }>;
  return { tarball: path.join(out, result.filename), files: result.files.map((f) => f.path) };
}

async function withLock<T>(dir: string, fn: () => T): Promise<T> {
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 20 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      if (Date.now() > deadline) throw new Error(`waited 20 minutes for ${lock}; remove it if no test is installing`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

export async function installPacked(): Promise<Installed> {
  const { tarball, files } = pack();
  const digest = crypto.createHash("sha256").update(fs.readFileSync(tarball)).digest("hex").slice(0, 16);
  const root = path.join(os.tmpdir(), `omnitenant-user-${digest}-node${process.versions.node.split(".")[0]}`);
  const done = path.join(root, ".installed");
  await withLock(root, () => {
    if (fs.existsSync(done)) return;
    fs.rmSync(root, { recursive: true, force: true });
    fs.mkdirSync(root, { recursive: true });
    fs.copyFileSync(tarball, path.join(root, "omnitenant.tgz"));
    fs.writeFileSync(path.join(root, "package.json"), JSON.stringify({ name: "omnitenant-user", version: "1.0.0", private: true }, null, 2));
    const deps = ["./omnitenant.tgz", `@pulumi/pulumi@${versionOf("@pulumi/pulumi")}`, `@pulumi/policy@${versionOf("@pulumi/policy")}`];
    const r = spawnSync("npm", ["install", "--omit=dev", "--no-audit", "--no-fund", ...deps], { cwd: root, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`npm install of the packed omnitenant failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    fs.writeFileSync(done, new Date().toISOString());
  });
  fs.rmSync(path.dirname(tarball), { recursive: true, force: true });
  // The CLI this repository built (or the user's), on PATH as a user's installation would be.
  const engine = await cli.ensurePulumiCli();
  const stateDir = fs.mkdtempSync(path.join(root, "state-"));
  const env = {
    ...process.env,
    PATH: `${engine.binDir}${path.delimiter}${path.join(root, "node_modules", ".bin")}${path.delimiter}${process.env.PATH}`,
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "omnitenant-install-test",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    ...(engine.home ? { PULUMI_HOME: engine.home } : {}),
  };
  return { root, files, env, bin: path.join(root, "node_modules", ".bin", "omnitenant") };
}
