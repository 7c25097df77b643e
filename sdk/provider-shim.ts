/**
 * The dynamic provider object a resource class hands to Pulumi. Pulumi serializes it into the state
 * of every resource, twice (inputs and outputs), and the file backend rewrites all of it at every
 * checkpoint; the provider host revives it once per distinct text, then calls `configure` on it
 * before any other method. So the serialized object is a single `configure` that fills in the real
 * methods from the installed `omnitenant` package (the host's working directory is the program's):
 * about 500 bytes of text per kind, with nothing — no client, config, zod or module — captured.
 */
import type * as pulumi from "@pulumi/pulumi";

type ProviderMethods = Omit<pulumi.dynamic.ResourceProvider, "configure">;
const methods = ["check", "diff", "create", "read", "update", "delete"] as const;

/**
 * The provider of one kind: `file` under omnitenant/dist/provider, and its export. The module is
 * loaded in the provider host only, never in the program.
 */
export function dynamicProvider(file: string, exportName: string): pulumi.dynamic.ResourceProvider {
  const of = `${file}#${exportName}`;
  // A plain function (not an arrow): the host calls it as provider.configure(req), `this` is the
  // provider. The other methods, `create` among them, arrive with it.
  const shim = {
    configure: function (this: pulumi.dynamic.ResourceProvider, req: pulumi.dynamic.ConfigureRequest) {
      return require("omnitenant/dist/sdk/provider-shim").attach(this, of, req);
    },
  };
  return shim as unknown as pulumi.dynamic.ResourceProvider;
}

/**
 * In the provider host: copies the methods of the kind's provider onto the revived object, then
 * applies the stack config. The methods are in place before `configure` first awaits, so a call
 * that finds the object in the host's cache while configure is still running finds them too.
 */
export function attach(target: pulumi.dynamic.ResourceProvider, of: string, req: pulumi.dynamic.ConfigureRequest): Promise<void> {
  const [file, exportName] = of.split("#");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const real = require(`omnitenant/dist/provider/${file}`)[exportName] as ProviderMethods;
  const writable = target as unknown as Record<string, unknown>;
  for (const m of methods) if (real[m]) writable[m] = real[m];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("omnitenant/dist/provider/config").configureFromPulumi(req.config);
}
