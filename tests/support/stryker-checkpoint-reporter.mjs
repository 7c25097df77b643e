/**
 * A Stryker reporter that keeps what a run has learned when the run is stopped before the end.
 *
 * Stryker writes its incremental file only when the whole run completes; a mutation run here takes
 * hours on two cores, so it is often stopped. This reporter rewrites the incremental file (same
 * schema as Stryker's own) after every tested mutant: a later `--incremental` run reuses those
 * results and tests only the rest. At the end of a complete run Stryker overwrites the file with
 * its own report, which holds the same information.
 */
import { readFileSync, writeFileSync, mkdirSync, renameSync } from "node:fs";
import path from "node:path";
import { PluginKind, declareClassPlugin, commonTokens } from "@stryker-mutator/api/plugin";

/** Test file names come from the sandbox; the report names files relative to the project. */
function projectRelative(fileName) {
  if (!fileName) return "";
  const inSandbox = fileName.match(/[\\/]\.stryker-tmp[\\/]sandbox-[^\\/]+[\\/](.*)$/);
  const relative = inSandbox ? inSandbox[1] : path.relative(process.cwd(), fileName);
  return relative.split(path.sep).join("/");
}

function readFile(relativeName) {
  try {
    return readFileSync(path.resolve(process.cwd(), relativeName), "utf8");
  } catch {
    return undefined;
  }
}

class CheckpointReporter {
  static inject = [commonTokens.options];

  constructor(options) {
    this.file = options.incrementalFile;
    this.tests = [];
    this.results = new Map();
    this.planned = 0;
    /** Sources as the run started (files edited during the run must not shift its locations). */
    this.sources = new Map();
  }

  source(relativeName) {
    if (!this.sources.has(relativeName)) this.sources.set(relativeName, readFile(relativeName));
    return this.sources.get(relativeName);
  }

  onDryRunCompleted(event) {
    this.tests = event.result.tests;
    for (const test of this.tests) this.source(projectRelative(test.fileName));
  }

  onMutationTestingPlanReady(event) {
    this.planned = event.mutantPlans.length;
    for (const { mutant } of event.mutantPlans) this.source(projectRelative(mutant.fileName));
  }

  onMutantTested(result) {
    this.results.set(result.id, result);
    this.write();
  }

  write() {
    const files = {};
    for (const { fileName, ...mutant } of this.results.values()) {
      const name = projectRelative(fileName);
      files[name] ??= { language: "typescript", source: this.source(name) ?? "", mutants: [] };
      files[name].mutants.push(mutant);
    }
    const testFiles = {};
    for (const test of this.tests) {
      const name = projectRelative(test.fileName);
      testFiles[name] ??= { source: this.source(name), tests: [] };
      testFiles[name].tests.push({
        id: test.id,
        name: test.name,
        location: test.startPosition ? { start: { line: test.startPosition.line + 1, column: test.startPosition.column + 1 } } : undefined,
      });
    }
    const report = {
      schemaVersion: "1.0",
      thresholds: { high: 80, low: 60 },
      files,
      testFiles,
      projectRoot: process.cwd(),
      // Not part of the schema (Stryker ignores it): how far the run got, for the summary.
      checkpoint: { tested: this.results.size, planned: this.planned, at: new Date().toISOString() },
    };
    mkdirSync(path.dirname(this.file), { recursive: true });
    const partial = `${this.file}.tmp`;
    writeFileSync(partial, JSON.stringify(report));
    renameSync(partial, this.file);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, "checkpoint", CheckpointReporter)];
