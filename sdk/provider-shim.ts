/**
 * The dynamic provider object a resource class hands to Pulumi. Pulumi serializes it into the state
 * (once per kind: the SDK caches by object identity) and revives it in the provider host, whose
 * working directory is the program's. So it stays tiny and stateless: each method requires the
 * compiled provider host adapter from the installed `omnitenant` package and delegates to it.
 * Nothing — no client, config, zod or module — is captured in the closure.
 */
import type * as pulumi from "@pulumi/pulumi";

export function dynamicProvider(file: string, exportName: string): pulumi.dynamic.ResourceProvider {
  const modulePath = "omnitenant/dist/provider/" + file;
  const call = (method: string, args: unknown[]) => require("omnitenant/dist/provider/host").call(modulePath, exportName, method, args);
  return {
    configure: (req) => require("omnitenant/dist/provider/config").configureFromPulumi(req.config),
    check: (olds, news) => call("check", [olds, news]),
    diff: (id, olds, news) => call("diff", [id, olds, news]),
    create: (inputs) => call("create", [inputs]),
    read: (id, props) => call("read", [id, props]),
    update: (id, olds, news) => call("update", [id, olds, news]),
    delete: (id, props) => call("delete", [id, props]),
  };
}
