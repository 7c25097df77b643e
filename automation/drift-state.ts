/**
 * The state side of the drift check: per stack, one `pulumi stack export` (secrets decrypted, for
 * comparison only; nothing from it is printed but ids and non-secret fields) and the result of
 * its last run. No engine run, no program run.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { getEngine } from "./engine";
import { typePrefix } from "./drift-compare";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cli = require("omnitenant/scripts/pulumi-cli");

type Obj = Record<string, any>;

export interface ManagedResource {
  kind: string;
  /** The resource's name in the stack (`agent-ann`). */
  name: string;
  urn: string;
  id: string;
  inputs: Obj;
  outputs: Obj;
}

export interface LastRun {
  kind: string;
  result: "succeeded" | "failed" | "in-progress" | string;
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
  lastRun?: LastRun;
}

export interface StateReader {
  listStacks(): Promise<string[]>;
  readStack(name: string): Promise<StackState>;
}

const secretSig = "4dabf18193072939515e22adb298388d";

/** State values with the secret envelopes of an export (`--show-secrets`) opened. */
export function openSecrets(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(openSecrets);
  if (v && typeof v === "object") {
    if (secretSig in v) {
      const env = v as { plaintext?: string; value?: unknown; ciphertext?: string };
      if (env.plaintext !== undefined) return openSecrets(JSON.parse(env.plaintext));
      if (env.value !== undefined) return openSecrets(env.value);
      throw new Error("the stack export holds encrypted secrets; export with --show-secrets");
    }
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, openSecrets(x)]));
  }
  return v;
}

const nameOf = (urn: string) => urn.split("::").pop() ?? urn;

/** The omnitenant resources and pending operations of an exported deployment. */
export function stackStateFrom(name: string, deployment: Obj | undefined, lastRun?: LastRun): StackState {
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
  return { name, resources, pendingOperations, ...(lastRun ? { lastRun } : {}) };
}

function lastRunFrom(info: Obj | undefined): LastRun | undefined {
  if (!info) return undefined;
  const start = typeof info.startTime === "number" ? info.startTime * 1000 : Date.parse(info.startTime);
  const end = typeof info.endTime === "number" ? info.endTime * 1000 : Date.parse(info.endTime);
  return {
    kind: String(info.kind),
    result: String(info.result),
    ...(Number.isFinite(start) && start > 0 ? { startTime: new Date(start).toISOString() } : {}),
    ...(Number.isFinite(end) && end > 0 ? { endTime: new Date(end).toISOString() } : {}),
    ...(Number.isFinite(start) && Number.isFinite(end) && end >= start && start > 0 ? { durationMs: end - start } : {}),
    ...(info.resourceChanges ? { resourceChanges: info.resourceChanges } : {}),
  };
}

/**
 * Any backend, through the Pulumi CLI: one `stack export --show-secrets` per stack, and for the
 * last run a `stack history --page-size 1`, or for a file backend its newest history file.
 */
export async function cliStateReader(o: { projectName: string; backendUrl: string; workDir: string; env?: Record<string, string> }): Promise<StateReader> {
  const { command, binDir } = await getEngine();
  fs.mkdirSync(o.workDir, { recursive: true });
  const stateDir = o.backendUrl.startsWith("file://") ? new URL(o.backendUrl).pathname : undefined;
  const envVars = { ...cli.pulumiEnv(binDir, { stateDir: stateDir ?? path.join(o.workDir, "state") }), PULUMI_BACKEND_URL: o.backendUrl, ...o.env };
  const workspace = await LocalWorkspace.create({
    workDir: o.workDir,
    pulumiCommand: command,
    envVars,
    projectSettings: { name: o.projectName, runtime: "nodejs", backend: { url: o.backendUrl } },
  });
  const historyDir = (name: string) => stateDir && path.join(stateDir, ".pulumi", "history", o.projectName, name);

  const lastRun = async (name: string): Promise<LastRun | undefined> => {
    const dir = historyDir(name);
    if (dir) {
      if (!fs.existsSync(dir)) return undefined;
      const newest = fs
        .readdirSync(dir)
        .filter((f) => /\.history\.json(\.gz)?$/.test(f))
        .sort((a, b) => Number(/-(\d+)\.history/.exec(b)?.[1] ?? 0) - Number(/-(\d+)\.history/.exec(a)?.[1] ?? 0))[0];
      if (!newest) return undefined;
      const raw = fs.readFileSync(path.join(dir, newest));
      return lastRunFrom(JSON.parse((newest.endsWith(".gz") ? zlib.gunzipSync(raw) : raw).toString("utf8")) as Obj);
    }
    const [entry] = await (await Stack.select(name, workspace)).history(1, 1, false);
    return lastRunFrom(entry as unknown as Obj | undefined);
  };

  return {
    listStacks: async () => (await workspace.listStacks()).map((s) => s.name.split("/").pop()!),
    readStack: async (name) => {
      const [exported, run] = await Promise.all([workspace.exportStack(name), lastRun(name)]);
      return stackStateFrom(name, exported.deployment as Obj | undefined, run);
    },
  };
}
