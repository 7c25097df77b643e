export interface PulumiCli {
  binDir: string;
  pulumi: string;
  version: string;
  source: "PATH" | "cache";
  /** PULUMI_HOME of the CLI omnitenant built (its plugin cache holds the policy-pack launcher). */
  home?: string;
}
export function ensurePulumiCli(): Promise<PulumiCli>;
export function pulumiEnv(binDir: string, overrides?: { stateDir?: string }): Record<string, string>;
export function pinnedVersion(): string;
export const repoRoot: string;
