import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { getEngine } from "../../automation/engine";

const pinned = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")).dependencies["@pulumi/pulumi"];

describe("Pulumi CLI bootstrap", () => {
  it("provides the CLI at the version of @pulumi/pulumi that package.json pins", async () => {
    const engine = await getEngine();
    expect(engine.command.version?.toString()).toBe(pinned);
    const out = spawnSync(path.join(engine.binDir, "pulumi"), ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    expect(out.stdout.trim()).toBe(`v${pinned}`);
  });

  it("places the dynamic-provider host beside the CLI it built and the policy-pack launcher in its plugin cache", async () => {
    const { binDir, source } = await getEngine();
    // A CLI the user installed comes with its own plugins and Node.js language host.
    const plugins =
      source === "cache"
        ? [path.join(binDir, "pulumi-resource-pulumi-nodejs"), path.join(binDir, "..", "home", "plugins", `analyzer-policy-nodejs-v${pinned}`, "pulumi-analyzer-policy-nodejs")]
        : [path.join(binDir, "pulumi-language-nodejs")];
    for (const file of plugins) expect(fs.statSync(file).mode & 0o111).not.toBe(0);
  });

  it("keeps the wrapper go.mod on the same version as the npm pin", () => {
    const goMod = fs.readFileSync(path.join(__dirname, "..", "..", "scripts", "pulumi-cli", "go.mod"), "utf8");
    expect(goMod).toContain(`github.com/pulumi/pulumi/pkg/v3 v${pinned}`);
  });
});
