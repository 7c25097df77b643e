export interface PulumiCli {
  binDir: string;
  pulumi: string;
  version: string;
  source: "PATH" | "cache";
  /** PULUMI_HOME of the CLI omnitenant built (its plugin cache holds the policy-pack launcher). */
  home?: string;
  /** Pulumi's Node.js language host beside the CLI omnitenant built, when its source was present to build it. */
  languageHost?: string;
}
export function ensurePulumiCli(): Promise<PulumiCli>;
export function pulumiEnv(binDir: string, overrides?: { stateDir?: string }): Record<string, string>;
/** The CLI version omnitenant builds or uses from its cache for the installed @pulumi/pulumi. */
export function cliVersion(sdk?: string): string;
export function installedSdkVersion(): string;
/** Versions with a Go wrapper module in scripts/pulumi-cli/ (a repository checkout only). */
export function wrapperVersions(): string[];
/** Throws, naming the fix, when the installed @pulumi/pulumi needs a newer Node.js than this one. */
export function checkNodeForSdk(): void;
export function languageHostSource(): string | undefined;
export const repoRoot: string;
