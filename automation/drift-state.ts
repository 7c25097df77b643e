/**
 * The state side of the drift check: per stack, its exported deployment and the result of its
 * last run. No engine run, no program run.
 *
 * Secrets stay encrypted at first: opening them costs a passphrase key derivation per stack (a
 * million PBKDF2 rounds), far more than listing a tenant. An object whose platform revision equals
 * the revision in state has not changed since Pulumi last wrote it, so most objects need no secret
 * at all; only a customer with a moved object whose differing fields hold secrets is exported again
 * with its secrets open (`decrypted`).
 *
 * For a file backend the export is the checkpoint file itself (what `pulumi stack export` prints),
 * read without starting a process; any other backend goes through the CLI.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as zlib from "node:zlib";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { getEngine } from "./engine";
import { typePrefix } from "./drift-compare";
import { isAbandoned, stackLocks, type StackLock } from "./stack-locks";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cli = require("omnitenant/scripts/pulumi-cli");

type Obj = Record<string, any>;

export interface ManagedResource {
  kind: string;
  /** The resource's name in the stack (`agent-ann`). */
  name: string;
  urn: string;
  id: string;
  /** Secret values are `sealed` (an opaque marker) until the stack is read `decrypted`. */
  inputs: Obj;
  outputs: Obj;
}

export interface LastRun {
  kind: string;
  result: string;
  startTime?: string;
  endTime?: string;
  durationMs?: number;
  resourceChanges?: Record<string, number>;
}

export interface StackState {
  name: string;
  resources: ManagedResource[];
  /** Operations the engine began and never finished: the last run was interrupted. */
  pendingOperations: Array<{ type: string; urn: string; name: string }>;
  /**
   * The lock of a run killed on this host (file backends): the run was interrupted although it may
   * have left no pending operation (a run without per-step checkpoints records nothing until it ends).
   */
  abandonedLock?: StackLock;
  lastRun?: LastRun;
  /** The same stack with its secrets open (one more export, with the passphrase's key derivation). */
  decrypted(): Promise<StackState>;
}

export interface StateReader {
  listStacks(): Promise<string[]>;
  readStack(name: string): Promise<StackState>;
}

const secretSig = "4dabf18193072939515e22adb298388d";

/** What an encrypted secret reads as: equal to itself, so a secret compares equal to the same sealed secret. */
export const sealed = "[secret]";

export function containsSealed(v: unknown): boolean {
  if (v === sealed) return true;
  if (Array.isArray(v)) return v.some(containsSealed);
  return !!v && typeof v === "object" && Object.values(v).some(containsSealed);
}

/** State values with the secret envelopes of an export opened (`--show-secrets`) or sealed. */
export function openSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(openSecrets);
  if (v && typeof v === "object") {
    if (secretSig in v) {
      const env = v as { plaintext?: string; value?: unknown };
      if (env.plaintext !== undefined) return openSecrets(JSON.parse(env.plaintext));
      if (env.value !== undefined) return openSecrets(env.value);
      return sealed;
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, openSecrets(x)]));
  }
  return v;
}

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

/** The omnitenant resources and pending operations of an exported deployment. */
export function stackStateFrom(name: string, deployment: Obj | undefined, lastRun: LastRun | undefined, decrypted: () => Promise<StackState>, abandonedLock?: StackLock): StackState {
  const resources: ManagedResource[] = [];
  for (const r of (deployment?.resources ?? []) as Obj[]) {
    if (typeof r.type !== "string" || !r.type.startsWith(typePrefix) || !r.id || r.delete) continue;
    resources.push({
      kind: r.type.slice(typePrefix.length),
      name: nameOf(r.urn),
      urn: r.urn,
      id: String(r.id),
      inputs: openSecrets(r.inputs ?? {}) as Obj,
      outputs: openSecrets(r.outputs ?? {}) as Obj,
    });
  }
  const pendingOperations = ((deployment?.pending_operations ?? []) as Obj[]).map((p) => ({
    type: String(p.type),
    urn: String(p.resource?.urn ?? ""),
    name: nameOf(String(p.resource?.urn ?? "")),
  }));
  return { name, resources, pendingOperations, ...(lastRun ? { lastRun } : {}), ...(abandonedLock ? { abandonedLock } : {}), decrypted };
}

function lastRunFrom(info: Obj | undefined): LastRun | undefined {
  if (!info) return undefined;
  const time = (v: unknown) => (typeof v === "number" ? v * 1000 : typeof v === "string" ? Date.parse(v) : NaN);
  const start = time(info.startTime);
  const end = time(info.endTime);
  const ok = (t: number) => Number.isFinite(t) && t > 0;
  return {
    kind: String(info.kind),
    result: String(info.result),
    ...(ok(start) ? { startTime: new Date(start).toISOString() } : {}),
    ...(ok(end) ? { endTime: new Date(end).toISOString() } : {}),
    ...(ok(start) && ok(end) && end >= start ? { durationMs: end - start } : {}),
    ...(info.resourceChanges ? { resourceChanges: info.resourceChanges } : {}),
  };
}

const readMaybeGzip = (file: string) => {
  const raw = fs.readFileSync(file);
  return (file.endsWith(".gz") ? zlib.gunzipSync(raw) : raw).toString("utf8");
};

export interface StateReaderOptions {
  projectName: string;
  backendUrl: string;
  /** A scratch directory for the CLI's workspace. */
  workDir: string;
  env?: Record<string, string>;
}

/** The newest history entry of a stack in a file backend (`.pulumi/history/<project>/<stack>/`). */
function fileLastRun(stateDir: string, projectName: string, name: string): LastRun | undefined {
  const dir = path.join(stateDir, ".pulumi", "history", projectName, name);
  if (!fs.existsSync(dir)) return undefined;
  const stamp = (f: string) => Number(/-(\d+)\.history\.json/.exec(f)?.[1] ?? 0);
  const newest = fs
    .readdirSync(dir)
    .filter((f) => /\.history\.json(\.gz)?$/.test(f))
    .sort((a, b) => stamp(b) - stamp(a))[0];
  return newest ? lastRunFrom(JSON.parse(readMaybeGzip(path.join(dir, newest))) as Obj) : undefined;
}

/**
 * Reads stacks through the Pulumi CLI (any backend); for a file backend, reads the checkpoint and
 * history files instead, and only opens secrets through the CLI.
 */
export async function stateReader(o: StateReaderOptions): Promise<StateReader> {
  const { command, binDir } = await getEngine();
  fs.mkdirSync(o.workDir, { recursive: true });
  const stateDir = o.backendUrl.startsWith("file://") ? new URL(o.backendUrl).pathname : undefined;
  const envVars = { ...cli.pulumiEnv(binDir, { stateDir: stateDir ?? path.join(o.workDir, "state") }), PULUMI_BACKEND_URL: o.backendUrl, ...o.env };
  let workspace: Promise<LocalWorkspace> | undefined;
  const ws = () =>
    (workspace ??= LocalWorkspace.create({
      workDir: o.workDir,
      pulumiCommand: command,
      envVars,
      projectSettings: { name: o.projectName, runtime: "nodejs", backend: { url: o.backendUrl } },
    }));

  /** `pulumi stack export` as is: secrets stay ciphertext, so no key derivation. */
  const sealedExport = async (name: string): Promise<Obj | undefined> => {
    if (stateDir) {
      const base = path.join(stateDir, ".pulumi", "stacks", o.projectName, name);
      const file = [`${base}.json`, `${base}.json.gz`].find((f) => fs.existsSync(f));
      if (!file) throw Object.assign(new Error(`stack ${name} has no checkpoint in ${stateDir}`), { code: "stack-not-found" });
      return (JSON.parse(readMaybeGzip(file)) as Obj).checkpoint?.latest;
    }
    await ws();
    const { stdout } = await promisify(execFile)(command.command, ["stack", "export", "--stack", name], { cwd: o.workDir, env: { ...process.env, ...envVars }, maxBuffer: 256 * 1024 * 1024 });
    return (JSON.parse(stdout) as Obj).deployment;
  };

  const lastRun = async (name: string): Promise<LastRun | undefined> => {
    if (stateDir) return fileLastRun(stateDir, o.projectName, name);
    const [entry] = await (await Stack.select(name, await ws())).history(1, 1, false);
    return lastRunFrom(entry as unknown as Obj | undefined);
  };

  const abandonedLock = (name: string) => stackLocks(o.backendUrl, o.projectName, name).find(isAbandoned);

  const decrypted = async (name: string, run: LastRun | undefined, lock: StackLock | undefined): Promise<StackState> => {
    const exported = await (await ws()).exportStack(name);
    const state = stackStateFrom(name, exported.deployment as Obj | undefined, run, async () => state, lock);
    return state;
  };

  return {
    listStacks: async () => {
      if (stateDir) {
        const dir = path.join(stateDir, ".pulumi", "stacks", o.projectName);
        if (!fs.existsSync(dir)) return [];
        return fs
          .readdirSync(dir)
          .filter((f) => /\.json(\.gz)?$/.test(f))
          .map((f) => f.replace(/\.json(\.gz)?$/, ""))
          .sort();
      }
      return (await (await ws()).listStacks()).map((s) => s.name.split("/").pop()!);
    },
    readStack: async (name) => {
      const [deployment, run] = await Promise.all([sealedExport(name), lastRun(name)]);
      const lock = abandonedLock(name);
      return stackStateFrom(name, deployment, run, () => decrypted(name, run, lock), lock);
    },
  };
}
