/**
 * Reseller provisioning: one stack per customer of a catalogue (stack name = customer id), run
 * through the Automation API with bounded concurrency. Customers removed from the catalogue are
 * offboarded only when asked. Every customer ends with a result; none stops the others.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { resolveConnection as resolveProviderConnection } from "../provider/config";
import { describeIssue, missingEnv, type Catalogue, type Customer } from "./catalogue";
import { getEngine } from "./engine";
import { installedPacks, readPolicyConfig, writePackConfigs, type PolicyPack } from "./policy-config";
import { deployCustomer, offboardCustomer, type StackRunOptions } from "./provision-stack";
import type { CustomerResult, CustomerState, ProgressEvent, ProvisionReport } from "./provision-types";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cli = require("omnitenant/scripts/pulumi-cli");

export * from "./provision-types";

export const defaultProject = "omnitenant-reseller";
export const defaultConcurrency = 4;

export interface ProvisionOptions {
  /** Platform API; default OMNITENANT_ENDPOINT, then `.omnitenant/platform.json`, then the local platform address. */
  endpoint?: string;
  /** Operator token; default OMNITENANT_TOKEN, then `.omnitenant/platform.json` (for its own platform). */
  token?: string;
  /** Any Pulumi backend URL; default PULUMI_BACKEND_URL, then a file backend in `<workDir>/state`. */
  backendUrl?: string;
  /** Where stacks' program directories and generated policy configs go; default `<cwd>/.omnitenant/provision`. */
  workDir?: string;
  projectName?: string;
  /** Customers deployed at once; default 4. */
  concurrency?: number;
  /** Preview every customer; change nothing. */
  dryRun?: boolean;
  /** Destroy and remove the stacks of customers no longer in the catalogue. */
  offboard?: boolean;
  /**
   * Run the engine for every customer. By default a customer whose catalogue entry, secrets,
   * platform, policy config and provider build are those of its last successful deployment is
   * reported unchanged without running `up` (which would find nothing to do).
   */
  force?: boolean;
  /** Policy pack directories; default both omnitenant packs when built; `false` for none. */
  policyPacks?: string[] | false;
  /** A policy config file (policy name → config) for both packs. */
  policyConfigFile?: string;
  /** Extra environment for the engine and the provider host (also where `{env: NAME}` secrets are read first). */
  env?: Record<string, string>;
  onProgress?: (e: ProgressEvent) => void;
}

/** Endpoint and token resolved as the provider resolves them, so that the CLI and `pulumi up` agree. */
/** Where provision keeps its work, and the backend of its stacks: drift reads the same stacks. */
export function provisionPlaces(options: Pick<ProvisionOptions, "workDir" | "backendUrl">): { base: string; backendUrl: string } {
  const base = path.resolve(options.workDir ?? path.join(process.cwd(), ".omnitenant", "provision"));
  return { base, backendUrl: options.backendUrl ?? process.env.PULUMI_BACKEND_URL ?? `file://${path.join(base, "state")}` };
}

export function resolveConnection(options: Pick<ProvisionOptions, "endpoint" | "token">, cwd = process.cwd()): { endpoint: string; token?: string } {
  const { endpoint, token } = resolveProviderConnection(options, cwd);
  return { endpoint, token };
}

/** A backend URL without credentials, for reports. */
export function redactBackend(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return url;
  }
}

/** Stack names of the project in the backend (customers that have, or had, a stack). */
async function listStacks(projectName: string, backendUrl: string, dir: string, env: Record<string, string> | undefined): Promise<string[]> {
  const { command, binDir } = await getEngine();
  const workspace = await LocalWorkspace.create({
    workDir: dir,
    pulumiCommand: command,
    envVars: { ...cli.pulumiEnv(binDir, { stateDir: path.join(dir, "state") }), PULUMI_BACKEND_URL: backendUrl, ...env },
    projectSettings: { name: projectName, runtime: "nodejs", backend: { url: backendUrl } },
  });
  // Names may come qualified (org/project/stack) from a service backend.
  return (await workspace.listStacks()).map((s) => s.name.split("/").pop()!);
}

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}

const failedEntry = (id: string, issues: string[], started: number): CustomerResult => ({
  id,
  state: "failed",
  changes: {},
  durationMs: Date.now() - started,
  error: `invalid catalogue entry, not deployed: ${issues[0]}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}`,
  issues,
});

export async function provision(catalogue: Catalogue, options: ProvisionOptions = {}): Promise<ProvisionReport> {
  const startedAt = new Date();
  const started = Date.now();
  const concurrency = options.concurrency ?? defaultConcurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, not ${concurrency}`);
  const projectName = options.projectName ?? defaultProject;
  const { base, backendUrl } = provisionPlaces(options);
  if (backendUrl.startsWith("file://")) fs.mkdirSync(backendUrl.slice("file://".length), { recursive: true });
  const { endpoint, token } = resolveConnection(options);
  const onProgress = options.onProgress ?? (() => undefined);
  const env = { ...process.env, ...options.env };

  const packs: PolicyPack[] = options.policyPacks === false ? [] : options.policyPacks ? options.policyPacks.map((dir) => ({ name: path.basename(dir), dir })) : installedPacks();
  const given = options.policyConfigFile ? readPolicyConfig(options.policyConfigFile) : {};
  const packConfigs = writePackConfigs(packs, path.join(base, "policy-config"), catalogue.reseller, given);

  const stackOptions = (id: string): StackRunOptions => ({
    projectName,
    workDir: path.join(base, "stacks", id),
    backendUrl,
    endpoint,
    token,
    env: options.env,
    packDirs: packs.map((p) => p.dir),
    packConfigs,
    dryRun: options.dryRun ?? false,
    force: options.force ?? false,
    onProgress,
  });

  const results = new Map<string, CustomerResult>();
  const finish = (key: string, result: CustomerResult) => {
    results.set(key, result);
    onProgress({ type: "done", result });
  };

  // Catalogue problems are reported per customer; those customers are not deployed.
  const keys = new Map<number, string>();
  for (const e of catalogue.entries) {
    const taken = [...keys.values()].includes(e.id ?? "");
    keys.set(e.index, e.id && !taken ? e.id : `customers[${e.index}]`);
  }
  const runnable: Customer[] = [];
  for (const entry of catalogue.entries) {
    const key = keys.get(entry.index)!;
    const issues = entry.customer ? missingEnv(entry.customer, env) : entry.issues;
    if (entry.customer && issues.length === 0) runnable.push(entry.customer);
    else results.set(key, failedEntry(key, issues.map((i) => describeIssue(entry, i)), started));
  }

  const existing = await listStacks(projectName, backendUrl, path.join(base, "workspace"), options.env);
  const named = new Set(catalogue.entries.map((e) => e.id).filter((id): id is string => id !== undefined));
  const orphans = existing.filter((name) => !named.has(name)).sort();
  // An entry without a readable id might be any orphan: offboarding waits until the catalogue is fixed.
  const unnamed = catalogue.entries.filter((e) => e.id === undefined).map((e) => `customers[${e.index}]`);

  onProgress({ type: "plan", customers: [...keys.values()], orphans });
  for (const result of results.values()) onProgress({ type: "done", result });

  type Task = { kind: "deploy"; customer: Customer } | { kind: "orphan"; id: string };
  const tasks: Task[] = [...runnable.map((customer) => ({ kind: "deploy" as const, customer })), ...orphans.map((id) => ({ kind: "orphan" as const, id }))];
  await pool(tasks, concurrency, async (task) => {
    if (task.kind === "deploy") {
      finish(task.customer.id, await deployCustomer(task.customer, stackOptions(task.customer.id)));
    } else if (options.offboard && unnamed.length) {
      finish(task.id, {
        id: task.id,
        state: "skipped",
        changes: {},
        durationMs: 0,
        note: `orphaned, not offboarded: ${unnamed.join(", ")} has no readable id and might be this customer; fix the catalogue first`,
      });
    } else {
      finish(task.id, await offboardCustomer(task.id, options.offboard ?? false, stackOptions(task.id)));
    }
  });

  const order = [...keys.values(), ...orphans];
  const customers = order.map((key) => results.get(key)!).filter(Boolean);
  const counts = { created: 0, updated: 0, unchanged: 0, failed: 0, offboarded: 0, skipped: 0 } as Record<CustomerState, number>;
  for (const c of customers) counts[c.state]++;
  const finishedAt = new Date();
  return {
    reseller: catalogue.reseller.name,
    ...(catalogue.source ? { catalogue: catalogue.source } : {}),
    project: projectName,
    backend: redactBackend(backendUrl),
    dryRun: options.dryRun ?? false,
    offboard: options.offboard ?? false,
    concurrency,
    policyPacks: packs.map((p) => p.name),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - started,
    counts,
    ok: counts.failed === 0,
    customers,
  };
}
