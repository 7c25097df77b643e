/** The compliance report: what a reviewer attaches to a change request, as JSON and Markdown. */

/** The engine says "warning" for advisory violations; the report uses the policy vocabulary. */
export type Level = "mandatory" | "advisory" | "remediate" | "disabled";

export interface PackRun {
  name: string;
  version: string;
}

export interface CheckedResource {
  urn: string;
  type: string;
  name: string;
  /** The step the preview plans for it (create, same, update, replace, delete…), when known. */
  operation?: string;
  /** Resource policies per pack: which passed and which reported a violation. */
  packs: Record<string, { passed: string[]; failed: string[] }>;
}

export interface ReportedViolation {
  pack: string;
  packVersion: string;
  policy: string;
  level: Level;
  severity?: string;
  /** The resource it is about; absent when a stack policy reports on the stack as a whole. */
  urn?: string;
  resource?: { type: string; name: string };
  /** The rule as the policy describes it. */
  description: string;
  /** Resource, rule, offending value and fix, as the policy wrote it. */
  message: string;
}

/**
 * Why a preview checked no resource. `no-resources`: the program declared none (a wrong --dir, or a
 * project whose main is not the program). `not-analysed`: it declared some, but the engine reported
 * no policy result for any (the packs did not run on resources, e.g. a CLI that sends no summaries).
 */
export interface NothingChecked {
  code: "no-resources" | "not-analysed";
  /** Resources the preview planned (the stack and providers not counted). */
  resourcesPlanned: number;
  message: string;
}

export interface PolicyReport {
  generatedAt: string;
  target: { project?: string; stack: string; operation: "preview" };
  packs: PackRun[];
  resources: CheckedResource[];
  /** Stack policies per pack: which passed and which reported a violation. */
  stackPolicies: Record<string, { passed: string[]; failed: string[] }>;
  violations: ReportedViolation[];
  /** Errors of the engine that are not policy violations (a program that failed, a bad config), and why nothing was checked. */
  errors: string[];
  /** Set when the packs checked no resource: such a report proves nothing, so it fails. */
  nothingChecked?: NothingChecked;
  summary: {
    resourcesChecked: number;
    violations: number;
    mandatory: number;
    advisory: number;
    /** Pass: at least one resource checked, no mandatory violation and no engine error. */
    result: "pass" | "fail";
  };
}
