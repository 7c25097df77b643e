/**
 * Checks of the `omnitenant:` stack configuration, made once per run in the program, when the first
 * resource is declared: a bad setting fails the preview at once instead of a request timing out.
 */
import * as pulumi from "@pulumi/pulumi";
import { endpointProblem } from "../provider/config";

const checkedRuns = new WeakSet<object>();
const fallbackRun = {};

export function checkStackConfiguration(): void {
  const run = pulumi.runtime.getStackResource() ?? fallbackRun;
  if (checkedRuns.has(run)) return;
  checkedRuns.add(run);
  const endpoint = pulumi.runtime.getConfig("omnitenant:endpoint");
  const problem = endpoint ? endpointProblem(endpoint, "omnitenant:endpoint") : undefined;
  if (problem) throw new pulumi.RunError(problem);
}
