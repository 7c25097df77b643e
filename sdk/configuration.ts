/**
 * Checks of the `omnitenant:` stack configuration, made once per run in the program, when the first
 * resource is declared: a bad setting fails the preview at once instead of a request timing out.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { endpointProblem } from "../provider/config";

const checkedRuns = new WeakSet<object>();
const fallbackRun = {};

/** True when the stack's config file holds `omnitenant:token` as plain text rather than `secure:`. */
function tokenInPlainText(): boolean {
  const file = path.join(pulumi.runtime.getRootDirectory(), `Pulumi.${pulumi.getStack()}.yaml`);
  let config: Record<string, unknown> | undefined;
  try {
    config = (parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config;
  } catch {
    return false; // no config file (config from the environment): nothing stored in plain text
  }
  return typeof config?.["omnitenant:token"] === "string";
}

export function checkStackConfiguration(): void {
  const run = pulumi.runtime.getStackResource() ?? fallbackRun;
  if (checkedRuns.has(run)) return;
  checkedRuns.add(run);
  const endpoint = pulumi.runtime.getConfig("omnitenant:endpoint");
  const problem = endpoint ? endpointProblem(endpoint, "omnitenant:endpoint") : undefined;
  if (problem) throw new pulumi.RunError(problem);
  if (tokenInPlainText()) {
    pulumi.log.warn(
      `omnitenant:token is stored in plain text in Pulumi.${pulumi.getStack()}.yaml (and so readable by anyone with the file). ` +
        "Store it encrypted: `pulumi config set --secret omnitenant:token <token>`.",
    );
  }
}
