/**
 * One shape for every violation message, so that a reviewer always finds the same four things:
 * which resource, which rule, what value broke it, and how to fix it.
 */
import { describe, type Named } from "./resources";

export interface Violation {
  /** The rule, stated as it applies to this resource. */
  rule: string;
  /** The offending value, as the program wrote it. */
  value: string;
  /** What to change in the program or in the policy pack config. */
  fix: string;
}

export function message(resource: Named, v: Violation): string {
  return `${describe(resource)} (${resource.urn}): ${v.rule}. Found: ${v.value}. Fix: ${v.fix}.`;
}
