/**
 * `npm run quickstart`: starts the local platform in the background (data in .omnitenant/), deploys
 * the quickstart tenant with both policy packs through the real Pulumi CLI, and prints what it made.
 * `npm run quickstart -- --destroy` tears it down and stops the platform.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { openStack } from "../../automation/engine";
import { ensureLocalPlatform, stopLocalPlatform } from "../../automation/local-platform";
import { quickstartTenant } from "./tenant";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cli = require("omnitenant/scripts/pulumi-cli");

const { repoRoot } = cli;
/** Where the platform's data, its log and the stack state live; OMNITENANT_DATA_DIR moves them. */
const dataDir = path.resolve(process.env.OMNITENANT_DATA_DIR ?? path.join(repoRoot, ".omnitenant"));
const workDir = path.join(dataDir, "quickstart");
const policyPacks = ["least-privilege", "quotas"].map((pack) => path.join(repoRoot, "policies", pack));
/** Each pack's config for this tenant: the grants and the plan catalogue it is checked against. */
const policyConfig = (pack: string) => path.join(repoRoot, "examples", "quickstart", "policy-config", `${path.basename(pack)}.json`);

async function main(): Promise<number> {
  const destroy = process.argv.includes("--destroy");
  const platform = await ensureLocalPlatform({ dataDir, log: (line) => console.log(line) });
  const stack = await openStack({
    projectName: "omnitenant-quickstart",
    stackName: "dev",
    program: async () => quickstartTenant(),
    workDir,
    backendUrl: `file://${path.join(dataDir, "state")}`,
    endpoint: platform.url,
    token: platform.operatorToken,
    // The state is written once, at the end of each run: the tenant declares fixed passwords, so
    // a run killed in the middle is repaired by running it again (README, "Checkpoints").
    skipCheckpoints: true,
  });
  const onOutput = (s: string) => process.stdout.write(s);

  if (destroy) {
    await stack.destroy({ onOutput });
    await stack.workspace.removeStack(stack.name);
    await stopLocalPlatform({ dataDir });
    console.log("\nThe quickstart tenant is deleted and the local platform is stopped.");
    return 0;
  }

  const packs = policyPacks.filter((p) => fs.existsSync(path.join(p, "PulumiPolicy.yaml")));
  const policy = { policyPacks: packs, policyPackConfigs: packs.map(policyConfig) };
  // The Automation API's up skips the preview, and the engine runs stack policies (quotas, the
  // admin cap) after the steps; the preview decides them before anything is deployed.
  await stack.preview({ ...policy, onOutput });
  const result = await stack.up({ ...policy, onOutput });
  const deployment = (await stack.exportStack()).deployment as { resources?: Array<{ type: string }> };
  const counts = new Map<string, number>();
  for (const r of deployment.resources ?? []) {
    const kind = /^pulumi-nodejs:dynamic\/omnitenant:(\w+)$/.exec(r.type)?.[1];
    if (kind) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  }
  const changes = Object.entries(result.summary.resourceChanges ?? {})
    .filter(([op]) => op !== "same")
    .map(([op, n]) => `${n} ${op}`);
  console.log(`
omnitenant quickstart: ${changes.length ? changes.join(", ") : "no changes"}
  portal:      ${result.outputs.portalUrl?.value}
  platform:    ${platform.url} (data in ${path.relative(process.cwd(), dataDir)}/, log in ${path.relative(process.cwd(), platform.logFile)})
  resources:   ${[...counts].map(([kind, n]) => `${n} ${kind}`).join(", ")}
  policy packs: ${packs.length ? packs.map((p) => path.basename(p)).join(", ") : "none built"}
  state:       ${path.relative(process.cwd(), path.join(dataDir, "state"))}/ (stack "dev", passphrase from PULUMI_CONFIG_PASSPHRASE)
  tear down:   npm run quickstart -- --destroy
`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`\nomnitenant quickstart failed: ${err.message}`);
    process.exit(1);
  },
);
