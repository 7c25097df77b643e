/**
 * One customer's stack: deploy (or preview) its program, or offboard it. Each run catches its own
 * failure and turns it into a result, so that one customer never stops the others.
 */
import { createHmac, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { EngineEvent, OutputMap, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { openStack, skipCheckpointsFrom } from "./engine";
import type { Customer } from "./catalogue";
import { customerProgram, resourceCount } from "./program";
import { providerDir } from "../sdk/provider-shim";
import type { CustomerResult, CustomerState, PolicyViolation, ProgressEvent } from "./provision-types";

export interface StackRunOptions {
  projectName: string;
  /** This stack's program directory (Pulumi.yaml, stack config, the provider host's cwd). */
  workDir: string;
  backendUrl: string;
  endpoint: string;
  token?: string;
  env?: Record<string, string>;
  packDirs: string[];
  packConfigs: string[];
  dryRun: boolean;
  /** Run the engine even for a customer whose fingerprint says nothing changed. */
  force: boolean;
  onProgress: (e: ProgressEvent) => void;
}

let buildStamp: string | undefined;
/** Which provider build runs: a rebuilt provider may diff differently, so it counts as a change. */
function providerBuild(): string {
  if (buildStamp === undefined) {
    const dir = providerDir;
    const files = fs.readdirSync(dir).filter((f) => f.endsWith(".js")).sort();
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "..", "..", "package.json"), "utf8")) as { version: string };
    buildStamp = `${pkg.version}:${files.map((f) => `${f}@${fs.statSync(path.join(dir, f)).mtimeMs}`).join(",")}`;
  }
  return buildStamp;
}

/**
 * Everything a customer's deployment depends on: its catalogue entry, the secrets it reads from
 * the environment, the platform, the policy packs and their config, the provider build. Keyed
 * with the customer's secret seed, so the stored value says nothing about the secrets in it.
 */
export function fingerprint(customer: Customer, seed: string, o: Pick<StackRunOptions, "endpoint" | "packDirs" | "packConfigs" | "env">): string {
  const env = { ...process.env, ...o.env };
  const secrets = JSON.stringify(customer, (_k, v: unknown) => (v && typeof v === "object" && "env" in v && typeof (v as { env: unknown }).env === "string" ? { env: env[(v as { env: string }).env] } : v));
  const configs = o.packConfigs.map((f) => fs.readFileSync(f, "utf8"));
  return createHmac("sha256", seed).update(JSON.stringify([secrets, o.endpoint, o.packDirs, configs, providerBuild()])).digest("base64url");
}

const tenantType = "pulumi-nodejs:dynamic/omnitenant:Tenant";
const stripAnsi = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, "").replace(/<\{%[a-z]+%\}>/g, "");
const resourceName = (urn?: string) => urn?.split("::").pop();

/** Follows the engine's events: resource progress, policy violations, error diagnostics. */
class EventLog {
  done = 0;
  violations: PolicyViolation[] = [];
  errors: Array<{ urn?: string; message: string }> = [];

  constructor(
    private readonly id: string,
    private readonly total: number,
    private readonly onProgress: (e: ProgressEvent) => void,
  ) {}

  readonly onEvent = (e: EngineEvent) => {
    if (e.resOutputsEvent && e.resOutputsEvent.metadata.type !== "pulumi:pulumi:Stack" && !e.resOutputsEvent.metadata.type.startsWith("pulumi:providers:")) {
      this.done++;
      this.onProgress({ type: "resource", id: this.id, done: Math.min(this.done, this.total), total: this.total });
    }
    const p = e.policyEvent;
    if (p) {
      this.violations.push({
        pack: p.policyPackName,
        policy: p.policyName,
        resource: resourceName(p.resourceUrn),
        level: p.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
        message: stripAnsi(p.message).trim(),
      });
    }
    const d = e.diagnosticEvent;
    if (d && d.severity === "error") this.errors.push({ urn: d.urn, message: stripAnsi(d.message).trim() });
  };

  /** The reason to report: the resources' own errors first, the engine's summary otherwise. */
  reason(err: unknown): string {
    const own = this.errors.filter((e) => e.urn && !/^(update|preview|destroy|refresh) failed$/.test(e.message));
    const picked = own.length ? own : this.errors.filter((e) => !/^(update|preview|destroy|refresh) failed$/.test(e.message));
    if (picked.length) {
      return [...new Set(picked.map((e) => `${e.urn ? `${resourceName(e.urn)}: ` : ""}${e.message}`))].join("\n");
    }
    const text = stripAnsi(err instanceof Error ? err.message : String(err));
    const lines = text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("code:") && !l.startsWith("stdout:") && !l.startsWith("stderr:"));
    return lines.slice(-5).join("\n").slice(0, 1500) || "the engine failed without a message";
  }
}

function outcome(changes: Record<string, number>, existed: boolean): CustomerState {
  const changed = Object.entries(changes).some(([op, n]) => op !== "same" && n > 0);
  if (!changed) return "unchanged";
  return existed ? "updated" : "created";
}

function publicOutputs(outputs: OutputMap): CustomerResult["outputs"] {
  const plain = (k: string) => (outputs[k] && !outputs[k].secret ? outputs[k].value : undefined);
  return { tenantId: plain("tenantId"), portalUrl: plain("portalUrl"), instanceNumber: plain("instanceNumber"), fqdn: plain("fqdn") };
}

/**
 * The platform is given to the provider host through its environment, not the stack config: no
 * `config set-all` call per customer per run, and no token written into the program directory.
 */
async function open(id: string, program: PulumiFn, o: StackRunOptions, skipCheckpoints = false): Promise<Stack> {
  return openStack({
    skipCheckpoints,
    projectName: o.projectName,
    stackName: id,
    program,
    workDir: o.workDir,
    backendUrl: o.backendUrl,
    env: { ...o.env, OMNITENANT_ENDPOINT: o.endpoint, ...(o.token ? { OMNITENANT_TOKEN: o.token } : {}) },
  });
}

interface StateResource {
  type: string;
  urn: string;
  outputs?: Record<string, unknown>;
}

/**
 * Whether `up` would find nothing to do: the last operation on the stack was a successful update
 * of the same fingerprint (so no failed, interrupted, refreshed or hand-made change came since).
 * `up` does not refresh, so skipping it misses nothing that running it would have found.
 */
async function unchangedSinceLastUp(stack: Stack, resources: StateResource[] & { pending: number }, print: string): Promise<boolean> {
  if (resources.pending > 0) return false;
  const stored = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs?.catalogueFingerprint;
  if (stored !== print) return false;
  const [last] = await stack.history(1);
  return last?.kind === "update" && last.result === "succeeded";
}

/** The stack's resources, secrets decrypted (the Automation API exports with --show-secrets); one CLI call. */
async function stateOf(stack: Stack): Promise<StateResource[] & { pending: number }> {
  const deployment = (await stack.exportStack()).deployment as { resources?: StateResource[]; pending_operations?: unknown[] } | undefined;
  return Object.assign([...(deployment?.resources ?? [])], { pending: deployment?.pending_operations?.length ?? 0 });
}

const secretSig = "4dabf18193072939515e22adb298388d";
/** A state value, unwrapped from the secret envelope an export may keep it in. */
function plainValue(v: unknown): unknown {
  if (typeof v === "object" && v !== null && secretSig in v) {
    const env = v as { plaintext?: string; value?: unknown };
    return env.plaintext !== undefined ? JSON.parse(env.plaintext) : env.value;
  }
  return v;
}

/** Deploys (or previews, on a dry run) one customer's stack. */
export async function deployCustomer(customer: Customer, o: StackRunOptions): Promise<CustomerResult> {
  const started = Date.now();
  const total = resourceCount(customer);
  const log = new EventLog(customer.id, total, o.onProgress);
  let program: PulumiFn | undefined;
  let createdStack = false;
  let stack: Stack | undefined;
  try {
    stack = await open(customer.id, () => program!(), o);
    const resources = await stateOf(stack);
    const tenant = resources.find((r) => r.type === tenantType)?.outputs;
    const existed = tenant !== undefined;
    createdStack = resources.length === 0;
    const previousSeed = plainValue(resources.find((r) => r.type === "pulumi:pulumi:Stack")?.outputs?.passwordSeed);
    const seed = typeof previousSeed === "string" ? previousSeed : randomBytes(24).toString("base64url");
    const print = fingerprint(customer, seed, o);
    // Without per-step checkpoints a killed run records nothing, and its re-run repairs it only if
    // it declares the very same objects (its creates are then replays). A customer's first run
    // draws its password seed at random and the state keeps it only from the run's end: killed
    // after its tenant was made, a re-run would draw another seed, and the tenant's create, with
    // another admin password, would conflict. So only a stack that holds its seed skips them.
    if (typeof previousSeed === "string") skipCheckpointsFrom(stack);
    if (!o.force && existed && (await unchangedSinceLastUp(stack, resources, print))) {
      return {
        id: customer.id,
        state: "unchanged",
        changes: {},
        durationMs: Date.now() - started,
        outputs: { tenantId: tenant.tenantId as string, portalUrl: tenant.portalUrl as string, instanceNumber: tenant.instanceNumber as number, fqdn: tenant.fqdn as string },
        note: "unchanged since its last successful deployment: not run (--force runs it)",
      };
    }
    program = customerProgram(customer, { seed, env: { ...process.env, ...o.env }, fingerprint: print });
    o.onProgress({ type: "start", id: customer.id, phase: o.dryRun ? "previewing" : "deploying", total });

    const policy = o.packDirs.length ? { policyPacks: o.packDirs, policyPackConfigs: o.packConfigs } : {};
    let changes: Record<string, number>;
    let outputs: CustomerResult["outputs"];
    if (o.dryRun) {
      const preview = await stack.preview({ onEvent: log.onEvent, color: "never", ...policy });
      changes = { ...preview.changeSummary };
      outputs = tenant && { tenantId: tenant.tenantId as string, portalUrl: tenant.portalUrl as string, instanceNumber: tenant.instanceNumber as number, fqdn: tenant.fqdn as string };
    } else {
      // The Automation API's up skips the preview, and the engine runs stack policies (quotas, the
      // admin cap) after the steps: preview with the packs first, so they decide before any change.
      if (o.packDirs.length) await stack.preview({ onEvent: log.onEvent, color: "never", ...policy });
      const up = await stack.up({ onEvent: log.onEvent, color: "never", ...policy });
      changes = { ...(up.summary.resourceChanges ?? {}) };
      outputs = publicOutputs(up.outputs);
    }
    const advisories = log.violations.filter((v) => v.level === "advisory");
    return {
      id: customer.id,
      state: outcome(changes, existed),
      changes,
      durationMs: Date.now() - started,
      ...(advisories.length ? { violations: advisories } : {}),
      ...(outputs ? { outputs } : {}),
      ...(o.dryRun ? { note: "dry run: nothing was changed" } : {}),
    };
  } catch (err) {
    const mandatory = log.violations.filter((v) => v.level === "mandatory");
    return {
      id: customer.id,
      state: "failed",
      changes: {},
      durationMs: Date.now() - started,
      error: mandatory.length
        ? `${mandatory.length} policy violation${mandatory.length > 1 ? "s" : ""}: nothing was deployed; fix the catalogue or the policy config`
        : log.reason(err),
      ...(log.violations.length ? { violations: log.violations } : {}),
    };
  } finally {
    // A dry run leaves no trace of a customer that did not exist yet.
    if (o.dryRun && createdStack && stack) {
      await stack.workspace.removeStack(customer.id).catch(() => undefined);
      fs.rmSync(o.workDir, { recursive: true, force: true });
    }
  }
}


/**
 * A stack whose customer left the catalogue. Without `offboard` it is only reported. A protected
 * tenant is never offboarded: destroy would delete its agents, extensions and numbers before the
 * platform refuses to delete the tenant itself, so the check comes first.
 */
export async function offboardCustomer(id: string, offboard: boolean, o: StackRunOptions): Promise<CustomerResult> {
  const started = Date.now();
  const log = new EventLog(id, 0, o.onProgress);
  const base = { id, durationMs: 0, changes: {} as Record<string, number> };
  try {
    // A destroy killed without checkpoints is repaired by running it again: deletes tolerate 404.
    const stack = await open(id, async () => undefined, o, true);
    const resources = (await stateOf(stack)).filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/omnitenant:"));
    const tenants = resources.filter((r) => r.type === tenantType);
    const tenant = tenants[0]?.outputs;
    const outputs = tenant
      ? { tenantId: tenant.tenantId as string | undefined, portalUrl: tenant.portalUrl as string | undefined, fqdn: tenant.fqdn as string | undefined }
      : undefined;
    const done = (r: Omit<CustomerResult, "id" | "durationMs" | "changes"> & { changes?: Record<string, number> }): CustomerResult => ({
      ...base,
      ...(outputs ? { outputs } : {}),
      ...r,
      durationMs: Date.now() - started,
    });

    if (!offboard) {
      return done({
        state: "skipped",
        note: `orphaned, not offboarded: the customer left the catalogue; its stack holds ${resources.length} resources. Run with --offboard to destroy them`,
      });
    }
    const protectedTenants = tenants.filter((r) => r.outputs?.deletionProtection === true);
    if (protectedTenants.length) {
      return done({
        state: "failed",
        error:
          `deletion protection is on for tenant ${protectedTenants.map((r) => String(r.outputs?.fqdn ?? resourceName(r.urn))).join(", ")}: ` +
          `it was not offboarded and nothing was deleted. To offboard it, put the customer back in the catalogue with deletionProtection: false, ` +
          `run provision, then remove it and run with --offboard again`,
      });
    }
    o.onProgress({ type: "start", id, phase: "offboarding", total: resources.length });
    if (o.dryRun) {
      return done({ state: "offboarded", changes: { delete: resources.length }, note: "dry run: would destroy the stack and remove it" });
    }
    const destroyed = await stack.destroy({ onEvent: log.onEvent, color: "never" });
    await stack.workspace.removeStack(id);
    fs.rmSync(o.workDir, { recursive: true, force: true });
    return done({ state: "offboarded", changes: { ...(destroyed.summary.resourceChanges ?? {}) } });
  } catch (err) {
    return { ...base, state: "failed", durationMs: Date.now() - started, error: `offboarding failed: ${log.reason(err)}` };
  }
}
