/** What every resource class does when it is constructed: identity, secrets, output registration. */
import * as pulumi from "@pulumi/pulumi";
import { checkStackConfiguration } from "./configuration";

/**
 * The inputs sent to the provider: the user's args, with the values in `secretArgs` wrapped as
 * secrets (plain or not, they are stored encrypted), an identity for idempotent creates, and every
 * output name registered so that Pulumi exposes it on the instance.
 */
export function resourceInputs(
  kind: string,
  name: string,
  args: object,
  secretArgs: readonly string[],
  outputs: readonly string[],
): pulumi.Inputs {
  checkStackConfiguration();
  const inputs: pulumi.Inputs = {};
  for (const k of outputs) inputs[k] = undefined;
  for (const [k, v] of Object.entries(args)) {
    if (v === undefined) continue;
    inputs[k] = secretArgs.includes(k) ? pulumi.secret(v) : v;
  }
  // Stable across runs of the same stack: the provider derives the create's Idempotency-Key from it,
  // so a create whose response was lost (even in a killed run) is recovered, not repeated.
  inputs.__identity = `${pulumi.getProject()}/${pulumi.getStack()}/${kind}/${name}`;
  return inputs;
}

export function secretOptions(opts: pulumi.CustomResourceOptions | undefined, secretOutputs: readonly string[]): pulumi.CustomResourceOptions {
  return pulumi.mergeOptions(opts, { additionalSecretOutputs: [...secretOutputs] });
}

/**
 * Marks the instance's secret outputs secret in the program too. The engine already stores them as
 * secrets (additionalSecretOutputs); this keeps them secret for code that reads the outputs, also
 * under mocks and with engines that would not apply the option.
 */
export function secretOutputs(resource: pulumi.Resource, names: readonly string[]): void {
  const target = resource as unknown as Record<string, unknown>;
  for (const name of names) {
    const out = target[name];
    if (pulumi.Output.isInstance(out)) target[name] = pulumi.secret(out);
  }
}

/**
 * The id output (`tenantId`, `agentId`, …) is the resource's own id, which the engine knows during a
 * preview of an update: the platform's id never changes in place. Read from the provider's outputs
 * instead, a preview of an update would show it unknown (the dynamic-provider host cannot preview an
 * update, so the engine previews its outputs as the new inputs, where no id is), and every resource
 * that uses it would preview as replaced while the up replaces nothing.
 */
export function idOutputFromResourceId(resource: pulumi.CustomResource, idField: string): void {
  (resource as unknown as Record<string, unknown>)[idField] = resource.id.apply((id) => id as string);
}

/** Natural keys claimed in this run of the program, per run (the stack resource), per kind and tenant. */
const claims = new WeakMap<object, Map<string, string>>();
const scopes = new WeakMap<object, number>();
let nextScope = 0;
const fallbackRun = {};

/** A stable text for the tenant a resource is in: its id, or the identity of the Output it comes from. */
function scopeKey(tenantId: unknown): string | undefined {
  if (typeof tenantId === "string") return `id:${tenantId}`;
  if (tenantId && typeof tenantId === "object") {
    if (!scopes.has(tenantId)) scopes.set(tenantId, nextScope++);
    return `output:${scopes.get(tenantId)}`;
  }
  return undefined;
}

/**
 * Refuses a second resource that declares the same natural key (an agent's account, an extension's
 * number, a tenant's FQDN) in the same tenant: both would manage one platform object. Decided at
 * construction, so the preview fails and names both resources. Only keys given as text are checked
 * (a key given as an Output is not known at construction; the platform's conflict answer covers it);
 * tenants given as the same Output (e.g. `tenant.tenantId`) count as one tenant.
 */
export function claimNaturalKey(kind: string, name: string, naturalKey: string, key: unknown, tenantId?: unknown): void {
  const scope = kind === "Tenant" ? "platform" : scopeKey(tenantId);
  if (scope === undefined) return;
  const run = pulumi.runtime.getStackResource() ?? fallbackRun;
  const claim = (value: string) => {
    let taken = claims.get(run);
    if (!taken) claims.set(run, (taken = new Map()));
    const slot = `${kind}\u0000${scope}\u0000${value}`;
    const owner = taken.get(slot);
    if (owner !== undefined && owner !== name) {
      const where = kind === "Tenant" ? "" : " in the same tenant";
      throw new pulumi.RunError(
        `${kind} resources "${owner}" and "${name}" both declare ${naturalKey} ${JSON.stringify(value)}${where}; ` +
          `one platform object cannot be managed by two resources. Remove one of them, or give it another ${naturalKey}.`,
      );
    }
    taken.set(slot, name);
  };
  if (typeof key === "string") claim(key);
}
