/**
 * Runs a Pulumi project directory (Pulumi.yaml + its entry module) with the engine omnitenant has.
 * With a Node.js language host installed, the directory runs as a regular local program. Without
 * one (the CLI omnitenant builds has none), its entry module runs as an inline program in this
 * process: TypeScript through the ts-node that @pulumi/pulumi itself uses, exports as outputs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace, type PulumiFn, type Stack } from "@pulumi/pulumi/automation";
import { parse } from "yaml";
import { getEngine } from "./engine";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cli = require("omnitenant/scripts/pulumi-cli");

interface ProjectFile {
  name: string;
  main?: string;
  runtime: string | { name: string };
}

export function readProject(dir: string): ProjectFile {
  const file = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
  if (!file) throw new Error(`${dir} has no Pulumi.yaml; point --dir at a Pulumi project`);
  const project = parse(fs.readFileSync(file, "utf8")) as ProjectFile;
  const runtime = typeof project.runtime === "string" ? project.runtime : project.runtime?.name;
  if (runtime !== "nodejs") throw new Error(`${file}: runtime is ${JSON.stringify(runtime)}; omnitenant runs nodejs projects`);
  return project;
}

function hasLanguageHost(binDir: string): boolean {
  const dirs = [binDir, ...(process.env.PATH ?? "").split(path.delimiter)];
  return dirs.some((d) => fs.existsSync(path.join(d, "pulumi-language-nodejs")));
}

let tsRegistered = false;

/** The project's entry module as an inline program; its exports become the stack outputs. */
export function inlineProgram(dir: string, project: ProjectFile): PulumiFn {
  const entry = path.resolve(dir, project.main ?? ".");
  return async () => {
    if (!tsRegistered) {
      const tsNode = require.resolve("ts-node", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      require(tsNode).register({ transpileOnly: true, compilerOptions: { module: "commonjs", target: "es2020", esModuleInterop: true } });
      tsRegistered = true;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exported = require(require.resolve(entry));
    return typeof exported?.default === "function" ? await exported.default() : exported;
  };
}

/** Selects (or with `create`, creates) a stack of the project in `dir`, ready for preview or up. */
export async function openProjectStack(dir: string, stackName: string, create: boolean): Promise<Stack> {
  const { command, binDir } = await getEngine();
  const workDir = path.resolve(dir);
  const project = readProject(workDir);
  const options = { workDir, pulumiCommand: command, envVars: cli.pulumiEnv(binDir) };
  if (hasLanguageHost(binDir)) {
    const args = { stackName, workDir };
    return create ? LocalWorkspace.createOrSelectStack(args, options) : LocalWorkspace.selectStack(args, options);
  }
  const args = { stackName, projectName: project.name, program: inlineProgram(workDir, project) };
  return create ? LocalWorkspace.createOrSelectStack(args, options) : LocalWorkspace.selectStack(args, options);
}
