/**
 * No test may write into the repository's tracked files (or leave new unignored files there): the
 * global setup records `git status`, the global teardown compares. Skipped outside a git checkout.
 */
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");

function status() {
  const out = spawnSync("git", ["status", "--porcelain", "--untracked-files=all"], { cwd: root, encoding: "utf8" });
  return out.status === 0 ? new Set(out.stdout.split("\n").filter(Boolean)) : null;
}

let before = null;

module.exports = {
  record() {
    before = status();
  },
  check() {
    if (!before) return;
    const after = status();
    const changed = [...(after ?? [])].filter((line) => !before.has(line));
    if (changed.length) {
      throw new Error(
        `the tests changed the repository (tests must write only to temporary or ignored folders):\n${changed.join("\n")}\n` +
          "(if you edited these files yourself while the tests ran, run them again)",
      );
    }
  },
};
