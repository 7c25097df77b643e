/**
 * One customer's stack: deploy (or preview) its program, or offboard it. Each run catches its own
 * failure and turns it into a result, so that one customer never stops the others.
 */
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import type { EngineEvent, OutputMap, PulumiFn, Stack } from "@pulumi/pulumi/automation";
import { openStack } from "./engine";
import type { Customer } from "./catalogue";
import { customerProgram, resourceCount } from "./program";
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
  onProgress: (e: ProgressEvent) => void;
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
async function open(id: string, program: PulumiFn, o: StackRunOptions): Promise<Stack> {
  return openStack({
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

/** The stack's resources, secrets decrypted (the Automation API exports with --show-secrets); one CLI call. */
async function stateOf(stack: Stack): Promise<StateResource[]> {
  const deployment = (await stack.exportStack()).deployment as { resources?: StateResource[] } | undefined;
  return deployment?.resources ?? [];
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
    program = customerProgram(customer, { seed, env: { ...process.env, ...o.env } });
    o.onProgress({ type: "start", id: customer.id, phase: o.dryRun ? "previewing" : "deploying", total });

    const policy = o.packDirs.length ? { policyPacks: o.packDirs, policyPackConfigs: o.packConfigs } : {};
    let changes: Record<string, number>;
    let outputs: CustomerResult["outputs"];
    if (o.dryRun) {
      const preview = await stack.preview({ onEvent: log.onEvent, color: "never", ...policy });
      changes = { ...preview.changeSummary };
      outputs = tenant && { tenantId: tenant.tenantId as string, portalUrl: tenant.portalUrl as string, instanceNumber: tenant.instanceNumber as number, fqdn: tenant.fqdn as string };
    } else {
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
    const stack = await open(id, async () => undefined, o);
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
