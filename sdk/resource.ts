/** What every resource class does when it is constructed: identity, secrets, output registration. */
import * as pulumi from "@pulumi/pulumi";

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
