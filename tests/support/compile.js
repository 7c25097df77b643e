/**
 * Global setup of the suite: engine tests run the provider, the CLI and the policy packs from dist/,
 * so dist/ must be the current source. tsc --incremental makes this a quick no-op when nothing
 * changed; a type error stops the run instead of testing an older build.
 */
const { spawnSync } = require("node:child_process");
const path = require("node:path");

module.exports = async function compile() {
  require("./tracked-files").record();
  const root = path.resolve(__dirname, "..", "..");
  const tsc = path.join(root, "node_modules", ".bin", "tsc");
  const args = ["-p", "tsconfig.json", "--incremental", "--tsBuildInfoFile", path.join(root, "dist", ".tsbuildinfo")];
  const out = spawnSync(tsc, args, { cwd: root, encoding: "utf8" });
  if (out.status !== 0) {
    throw new Error(`engine tests need dist/ compiled from the current source, and tsc failed:\n${out.stdout}${out.stderr}${out.error ?? ""}`);
  }
};
