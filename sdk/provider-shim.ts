/**
 * The dynamic provider object a resource class hands to Pulumi. Pulumi serializes it into the state
 * (once per kind: the SDK caches by object identity) and revives it in the provider host, another
 * process whose working directory is the program's. So it stays tiny and stateless: each method
 * requires the compiled provider of its kind and delegates to it. The closure captures one string,
 * the absolute directory of the compiled providers of the package that serialized it — no client,
 * config, zod or module — so the revived provider runs the very code the program loaded, wherever
 * the program directory is and whatever its node_modules hold.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as pulumi from "@pulumi/pulumi";

/** omnitenant's own root: the nearest directory above this file whose package.json names it (the repository from sdk/, the installed package from dist/sdk/). */
function packageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === "omnitenant") return dir;
    if (path.dirname(dir) === dir) throw new Error(`omnitenant: no package.json of omnitenant above ${from}; reinstall the package`);
  }
}

/** The compiled providers (`dist/provider/<kind>.js`) of this copy of omnitenant. */
export const providerDir = path.join(packageRoot(__dirname), "dist", "provider");

export function dynamicProvider(file: string, exportName: string): pulumi.dynamic.ResourceProvider {
  const dir = providerDir;
  // Runs in the provider host, so it uses only `require` and globals. The captured directory is
  // missing only when the state is revived elsewhere (another machine or checkout); then the copy
  // of omnitenant the program directory resolves serves it.
  const load = (name: string) => {
    let base = dir;
    if (!require("node:fs").existsSync(`${base}/${name}.js`)) {
      const manifest = require.resolve("omnitenant/package.json", { paths: [process.cwd()] });
      base = `${require("node:path").dirname(manifest)}/dist/provider`;
    }
    return require(`${base}/${name}.js`);
  };
  return {
    configure: (req) => load("config").configureFromPulumi(req.config),
    check: (olds, news) => load(file)[exportName].check(olds, news),
    diff: (id, olds, news) => load(file)[exportName].diff(id, olds, news),
    create: (inputs) => load(file)[exportName].create(inputs),
    read: (id, props) => load(file)[exportName].read(id, props),
    update: (id, olds, news) => load(file)[exportName].update(id, olds, news),
    delete: (id, props) => load(file)[exportName].delete(id, props),
  };
}
