/**
 * The policy packs every customer stack is checked with, and their config files. The reseller
 * writes one config file for both packs (policy name → config); each pack gets only its own
 * policies, and the quotas pack's `plan-catalogue` gets the catalogue's plans unless the file
 * says otherwise, so that a customer's capabilities are held to the plan it names.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Reseller } from "./catalogue";
// eslint-disable-next-line @typescript-eslint/no-require-imports
import cli = require("omnitenant/scripts/pulumi-cli");

export const packNames = ["least-privilege", "quotas"] as const;

export interface PolicyPack {
  name: string;
  dir: string;
}

/** The packs of this omnitenant installation that are ready to run (declared and compiled). */
export function installedPacks(root: string = cli.repoRoot): PolicyPack[] {
  return packNames
    .map((name) => ({ name, dir: path.join(root, "policies", name) }))
    .filter((p) => {
      if (!fs.existsSync(path.join(p.dir, "PulumiPolicy.yaml"))) return false;
      try {
        const main = JSON.parse(fs.readFileSync(path.join(p.dir, "package.json"), "utf8")).main as string | undefined;
        return !main || fs.existsSync(path.resolve(p.dir, main));
      } catch {
        return false;
      }
    });
}

function policiesOf(pack: PolicyPack): string[] | undefined {
  try {
    return Object.keys(JSON.parse(fs.readFileSync(path.join(pack.dir, "config-schema.json"), "utf8")).policies ?? {});
  } catch {
    return undefined;
  }
}

export function readPolicyConfig(file: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read the policy config ${file}: ${(e as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`the policy config ${file} must be a JSON object: policy name → enforcement level or config`);
  }
  return parsed as Record<string, unknown>;
}

/** Writes one config file per pack into dir; returns the paths, in the order of `packs`. */
export function writePackConfigs(packs: PolicyPack[], dir: string, reseller: Reseller, given: Record<string, unknown> = {}): string[] {
  fs.mkdirSync(dir, { recursive: true });
  return packs.map((pack) => {
    const own = policiesOf(pack);
    const config: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(given)) {
      if (key === "all" || !own || own.includes(key)) config[key] = value;
    }
    if (pack.name === "quotas" && (!own || own.includes("plan-catalogue"))) {
      const current = config["plan-catalogue"];
      const asObject = typeof current === "string" ? { enforcementLevel: current } : ((current as Record<string, unknown> | undefined) ?? {});
      config["plan-catalogue"] = { plans: reseller.plans, ...asObject };
    }
    const file = path.join(dir, `${pack.name}.json`);
    fs.writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
    return file;
  });
}
