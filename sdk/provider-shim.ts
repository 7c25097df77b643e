/**
 * The dynamic provider object a resource class hands to Pulumi. Pulumi serializes it into the state
 * of every resource, twice (inputs and outputs), and the file backend rewrites all of it at every
 * checkpoint; the provider host revives it in another process (working directory: the program's)
 * and calls `configure` on it before any other method. So the serialized object is a single
 * `configure` that fills in the real methods of its kind: a few hundred bytes per kind. The closure
 * captures two strings — the kind's provider and the absolute `dist/provider` directory of the
 * omnitenant copy that serialized it — so the revived provider runs the very code the program
 * loaded, wherever the program directory is and whatever its node_modules hold; no client, config,
 * zod or module is captured.
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

/** The provider of one kind: `file` under dist/provider and its export; loaded in the provider host only. */
export function dynamicProvider(file: string, exportName: string): pulumi.dynamic.ResourceProvider {
  const dir = providerDir;
  const of = `${file}#${exportName}`;
  const shim = {
    // A plain function (not an arrow): the host calls it as provider.configure(req), `this` is the
    // revived provider. Runs in the host, so it uses only `require` and globals. The captured
    // directory is missing only when the state is revived elsewhere (another machine or checkout);
    // then the omnitenant the program directory resolves serves it.
    configure: function (this: pulumi.dynamic.ResourceProvider, req: pulumi.dynamic.ConfigureRequest) {
      let base = dir;
      if (!require("node:fs").existsSync(`${base}/host.js`)) {
        base = `${require("node:path").dirname(require.resolve("omnitenant/package.json", { paths: [process.cwd()] }))}/dist/provider`;
      }
      return require(`${base}/host.js`).attach(this, of, req);
    },
  };
  return shim as unknown as pulumi.dynamic.ResourceProvider;
}
