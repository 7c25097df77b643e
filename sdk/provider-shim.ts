/**
 * The dynamic provider object a resource class hands to Pulumi. Pulumi serializes it into the state
 * (once per kind: the SDK caches by object identity) and revives it in the provider host, whose
 * working directory is the program's. So it stays tiny and stateless: each method requires the
 * compiled provider of its kind from the installed `omnitenant` package and delegates to it.
 * Nothing — no client, config, zod or module — is captured in the closure.
 */
import type * as pulumi from "@pulumi/pulumi";

export function dynamicProvider(file: string, exportName: string): pulumi.dynamic.ResourceProvider {
  const modulePath = "omnitenant/dist/provider/" + file;
  const load = () => require(modulePath)[exportName];
  return {
    configure: (req) => require("omnitenant/dist/provider/config").configureFromPulumi(req.config),
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    read: (id, props) => load().read(id, props),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: (id, props) => load().delete(id, props),
  };
}
