#!/usr/bin/env node
// `prepack` (npm pack, npm publish, a git install): the tarball's dist/ is compiled from the sources
// being packed, never one left from an older checkout. The sources are compiled into a scratch
// directory first, then dist/ is brought in line: changed files replaced by an atomic rename, files
// whose source is gone removed. dist/ is never emptied or half-written, because tests or a running
// CLI may be loading it while the install test packs. Source maps are not copied (they would
// point into the scratch directory, and the package does not ship them); a replaced file's old map
// is removed. Node built-ins and the TypeScript compiler only.
"use strict";

const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const repoRoot = path.resolve(__dirname, "..");
const dist = path.join(repoRoot, "dist");
/** What tsc emits; anything else in dist/ (build info, maps) is left alone. */
const emitted = (file) => /\.(js|d\.ts|json)$/.test(file) && !path.basename(file).startsWith(".");

function filesUnder(dir, base = dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(full, base) : [path.relative(base, full)];
  });
}

function main() {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "omnitenant-prepack-"));
  try {
    const tsc = require.resolve("typescript/bin/tsc", { paths: [repoRoot] });
    const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json", "--outDir", scratch], { cwd: repoRoot, stdio: ["ignore", 2, 2] });
    if (r.status !== 0) throw new Error("tsc failed; fix the type errors above before packing");
    const fresh = filesUnder(scratch).filter(emitted);
    let replaced = 0;
    for (const file of fresh) {
      const from = path.join(scratch, file);
      const to = path.join(dist, file);
      const content = fs.readFileSync(from);
      if (fs.existsSync(to) && content.equals(fs.readFileSync(to))) continue;
      fs.mkdirSync(path.dirname(to), { recursive: true });
      const tmp = `${to}.prepack-${process.pid}`;
      fs.writeFileSync(tmp, content);
      fs.renameSync(tmp, to);
      fs.rmSync(`${to}.map`, { force: true }); // it maps the old output
      replaced += 1;
    }
    const keep = new Set(fresh);
    const stale = filesUnder(dist).filter((f) => emitted(f) && !keep.has(f));
    for (const file of stale) {
      fs.rmSync(path.join(dist, file));
      fs.rmSync(path.join(dist, `${file}.map`), { force: true });
    }
    process.stderr.write(`omnitenant prepack: dist/ compiled from the sources (${replaced} files updated, ${stale.length} stale removed)\n`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  process.stderr.write(`omnitenant prepack: ${err.message}\n`);
  process.exit(1);
}
