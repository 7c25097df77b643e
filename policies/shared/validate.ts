/** Small adapters between @pulumi/policy's callbacks and the checks of one resource kind. */
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import type { KindName } from "../../provider/schemas";
import { rawProps, typeToken } from "./resources";

/**
 * A resource validation that runs only on one omnitenant kind, handing the check the raw props
 * (see resources.ts for why not the proxy).
 */
export function forKind(
  kind: KindName,
  check: (props: Record<string, unknown>, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation {
  const type = typeToken(kind);
  return (args, report) => {
    if (args.type !== type) return;
    check(rawProps(args.props), args, report);
  };
}
