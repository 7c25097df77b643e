import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { getEngine } from "../../automation/engine";
import cli = require("../../scripts/pulumi-cli");

const repoRoot = path.join(__dirname, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
const installed = cli.installedSdkVersion();

describe("Pulumi CLI bootstrap", () => {
  it("provides the CLI at the version of the installed @pulumi/pulumi", async () => {
    const engine = await getEngine();
    expect(cli.wrapperVersions()).toContain(installed);
    expect(engine.command.version?.toString()).toBe(installed);
    const out = spawnSync(path.join(engine.binDir, "pulumi"), ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" } });
    expect(out.stdout.trim()).toBe(`v${installed}`);
  });

  it("places the dynamic-provider host and the Node.js language host beside the CLI it built and the policy-pack launcher in its plugin cache", async () => {
    const { binDir, source } = await getEngine();
    // A CLI the user installed comes with its own plugins and Node.js language host.
    const plugins =
      source === "cache"
        ? [
            path.join(binDir, "pulumi-resource-pulumi-nodejs"),
            path.join(binDir, "..", "home", "plugins", `analyzer-policy-nodejs-v${installed}`, "pulumi-analyzer-policy-nodejs"),
            ...(cli.languageHostSource() ? [path.join(binDir, "pulumi-language-nodejs")] : []),
          ]
        : [path.join(binDir, "pulumi-language-nodejs")];
    for (const file of plugins) expect(fs.statSync(file).mode & 0o111).not.toBe(0);
  });

  it("builds the oldest @pulumi/pulumi the package accepts, each wrapper go.mod on its own version", () => {
    const minimum = /^\^(\d+\.\d+\.\d+)$/.exec(manifest.peerDependencies["@pulumi/pulumi"])?.[1];
    const versions = cli.wrapperVersions();
    expect(versions[0]).toBe(minimum);
    for (const v of versions) {
      const goMod = fs.readFileSync(path.join(repoRoot, "scripts", "pulumi-cli", `v${v}`, "go.mod"), "utf8");
      expect(goMod).toContain(`github.com/pulumi/pulumi/pkg/v3 v${v}\n`);
    }
  });

  it("picks the installed SDK's CLI, else the newest not newer, else the oldest", () => {
    const versions = cli.wrapperVersions();
    expect(cli.cliVersion(versions[0])).toBe(versions[0]);
    expect(cli.cliVersion("3.0.0")).toBe(versions[0]);
    expect(cli.cliVersion("99.0.0")).toBe(versions[versions.length - 1]);
  });
});
