/**
 * Runs policies the way the Pulumi engine and @pulumi/policy's analyzer do, without the CLI:
 *  - config is reconciled as the engine does (schema defaults, string or object per policy, "all"),
 *    then validated against each policy's configSchema ({type: object, properties, required},
 *    which is all the engine checks) — bad config is refused before any policy runs;
 *  - props go through the same path as over gRPC: a protobuf Struct, @pulumi/policy's
 *    `deserializeProperties`, then its `unknownCheckingProxy`; unknown values are the engine's
 *    sentinel and secrets its secret envelope;
 *  - stack policies get PolicyResources with `dependencies` and `propertyDependencies` resolved
 *    from URNs to resource objects, as in `analyzeStack`;
 *  - violations carry the enforcement level the analyzer would report, and an UnknownValueError
 *    escaping a policy becomes the analyzer's advisory "can't run … during preview".
 */
import Ajv from "ajv";
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { KindName } from "../../provider/schemas";
import { typeToken } from "../../policies/shared/resources";

/* eslint-disable @typescript-eslint/no-require-imports -- @pulumi/policy keeps these internal */
const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as { Struct: { fromJavaScript(v: object): unknown } };
const { deserializeProperties } = require("@pulumi/policy/deserialize") as { deserializeProperties(s: unknown, proxySecrets: boolean): Record<string, unknown> };
const { unknownCheckingProxy, UnknownValueError } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(v: T): T;
  UnknownValueError: new (...a: never[]) => Error;
};
/* eslint-enable @typescript-eslint/no-require-imports */

/** What the engine sends for a value that is not known during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** A secret as the engine sends it; the analyzer unwraps it for policies. */
export const secret = (value: unknown) => ({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value });

export const STACK = "dev";
export const PROJECT = "omnitenant-policy-test";
export const urnOf = (kind: KindName, name: string) => `urn:pulumi:${STACK}::${PROJECT}::${typeToken(kind)}::${name}`;

export interface ResourceSpec {
  kind: KindName;
  name: string;
  props: Record<string, unknown>;
  /** Input name → URNs it depends on (what the SDK records for `tenantId: tenant.tenantId`). */
  propertyDependencies?: Record<string, string[]>;
  /** URNs of all dependencies; defaults to the union of propertyDependencies. */
  dependencies?: string[];
}

export const urn = (r: ResourceSpec) => urnOf(r.kind, r.name);

/** A child of `tenant` whose tenantId input is the tenant's output (unknown in a preview of a new tenant). */
export function childOf(tenant: ResourceSpec, kind: KindName, name: string, props: Record<string, unknown>, tenantId: unknown = UNKNOWN): ResourceSpec {
  return { kind, name, props: { ...props, tenantId }, propertyDependencies: { tenantId: [urn(tenant)] } };
}

export interface Violation {
  policy: string;
  level: EnforcementLevel;
  message: string;
  urn?: string;
}

/** Policy pack config as a user writes it in a --policy-pack-config file. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

interface Reconciled {
  level: EnforcementLevel;
  props: Record<string, unknown>;
}

export class PolicyConfigRefused extends Error {}

const ajv = new Ajv({ allErrors: true, strict: false });

/** The engine's ReconcilePolicyPackConfig + validatePolicyPackConfig, for one pack. */
export function reconcileConfig(policies: Policies, config: PackConfig = {}): Map<string, Reconciled> {
  const out = new Map<string, Reconciled>();
  for (const p of policies) {
    const props: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(p.configSchema?.properties ?? {})) {
      if (v.default !== undefined) props[k] = structuredClone(v.default);
    }
    out.set(p.name, { level: p.enforcementLevel ?? "advisory", props });
  }
  const apply = (name: string, c: PackConfig[string]) => {
    const cur = out.get(name);
    if (!cur) return;
    if (typeof c === "string") cur.level = c;
    else {
      const { enforcementLevel, ...rest } = c;
      if (enforcementLevel) cur.level = enforcementLevel;
      Object.assign(cur.props, rest);
    }
  };
  if (config.all) for (const name of out.keys()) apply(name, typeof config.all === "string" ? config.all : { enforcementLevel: config.all.enforcementLevel });
  for (const [name, c] of Object.entries(config)) if (name !== "all") apply(name, c);

  const errors: string[] = [];
  for (const p of policies) {
    if (!p.configSchema) continue;
    const schema = { type: "object", properties: p.configSchema.properties, ...(p.configSchema.required ? { required: p.configSchema.required } : {}) };
    const validate = ajv.compile(schema);
    if (!validate(out.get(p.name)!.props)) {
      for (const e of validate.errors ?? []) errors.push(`${p.name}: ${e.instancePath || "(root)"} ${e.message}`);
    }
  }
  if (errors.length) throw new PolicyConfigRefused(`policy pack configuration is invalid:\n${errors.join("\n")}`);
  return out;
}

/** Props as a policy receives them: through protobuf, deserialized, proxied. An undefined value is absent, as on the wire. */
export function asAnalyzerProps(props: Record<string, unknown>): Record<string, unknown> {
  return unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(JSON.parse(JSON.stringify(props))), false));
}

class NotApplicable extends Error {}

/**
 * The analyzer prefixes every message with the policy's description (makeReportViolationFun); the
 * engine attributes a resource policy's violation to the analyzed resource.
 */
function reporter(p: { name: string; description: string }, level: EnforcementLevel, into: Violation[], resourceUrn?: string): ReportViolation {
  return (message: string, urn?: string) =>
    into.push({ policy: p.name, level, message: message ? `${p.description}\n${message}` : p.description, urn: urn ?? resourceUrn });
}

/** Runs one validation, timing only the policy's own work; errors are handled as the analyzer does. */
async function guarded(p: { name: string; description: string }, into: Violation[], run: () => unknown, urn?: string): Promise<number> {
  const t = performance.now();
  try {
    const result = run();
    if (result instanceof Promise) await result;
  } catch (e) {
    if (e instanceof UnknownValueError) {
      into.push({ policy: p.name, level: "advisory", message: `can't run policy '${p.name}' during preview: ${(e as Error).message}`, urn });
    } else if (!(e instanceof NotApplicable)) {
      throw e;
    }
  }
  return performance.now() - t;
}

export interface Evaluation {
  violations: Violation[];
  /** Milliseconds spent inside the policies' validate functions. */
  policyMs: number;
}

/** Runs every policy of a pack over the resources, as one preview would (Analyze per resource, then AnalyzeStack). */
export async function evaluate(policies: Policies, resources: ResourceSpec[], config?: PackConfig): Promise<Evaluation> {
  const reconciled = reconcileConfig(policies, config);
  const violations: Violation[] = [];
  let policyMs = 0;
  const timed = async (f: () => Promise<number>) => {
    policyMs += await f();
  };
  const notApplicable = (reason?: string): never => {
    throw new NotApplicable(reason);
  };
  // A shallow copy, as the analyzer's getConfig returns (its `__rest` of the policy's config).
  const getConfigFor = (name: string) => <T extends object>() => ({ ...reconciled.get(name)!.props }) as T;

  const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p && !!p.validateResource);
  for (const r of resources) {
    for (const p of resourcePolicies) {
      const level = reconciled.get(p.name)!.level;
      if (level === "disabled") continue;
      const report = reporter(p, level === "remediate" ? "mandatory" : level, violations, urn(r));
      const validations = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource!];
      for (const validation of validations) {
        const props = asAnalyzerProps(r.props);
        const args = {
          type: typeToken(r.kind),
          props,
          urn: urn(r),
          name: r.name,
          opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] },
          stackTags: new Map<string, string>(),
          isType: () => false,
          asType: () => undefined,
          getConfig: getConfigFor(p.name),
          notApplicable,
        } as unknown as ResourceValidationArgs;
        await timed(() => guarded(p, violations, () => validation(args, report), urn(r)));
      }
    }
  }

  const stackPolicies = policies.filter((p): p is StackValidationPolicy => "validateStack" in p);
  for (const p of stackPolicies) {
    const level = reconciled.get(p.name)!.level;
    if (level === "disabled") continue;
    const built = buildStack(resources);
    const args: StackValidationArgs = { resources: built, stackTags: new Map(), getConfig: getConfigFor(p.name), notApplicable };
    await timed(() => guarded(p, violations, () => p.validateStack(args, reporter(p, level === "remediate" ? "mandatory" : level, violations))));
  }
  return { violations, policyMs };
}

/** PolicyResources with parents and dependencies resolved to objects, as in analyzeStack. */
export function buildStack(resources: ResourceSpec[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const built = resources.map((r) => {
    const pr = {
      type: typeToken(r.kind),
      props: asAnalyzerProps(r.props),
      urn: urn(r),
      name: r.name,
      opts: { protect: false, ignoreChanges: [], aliases: [], customTimeouts: {}, additionalSecretOutputs: [] },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource;
    byUrn.set(pr.urn, pr);
    return pr;
  });
  resources.forEach((r, i) => {
    const pr = built[i];
    const propDeps = r.propertyDependencies ?? {};
    const deps = r.dependencies ?? [...new Set(Object.values(propDeps).flat())];
    pr.dependencies = deps.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
    for (const [k, urns] of Object.entries(propDeps)) {
      pr.propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((x): x is PolicyResource => !!x);
    }
  });
  return built;
}

/** Shorthand for tests: the violations of one policy. */
export async function violationsOf(policies: Policies, policy: string, resources: ResourceSpec[], config?: PackConfig): Promise<Violation[]> {
  const { violations } = await evaluate(policies, resources, config);
  return violations.filter((v) => v.policy === policy || v.message.includes(`policy '${policy}'`));
}
