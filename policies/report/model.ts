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

export interface PolicyReport {
  generatedAt: string;
  target: { project?: string; stack: string; operation: "preview" };
  packs: PackRun[];
  resources: CheckedResource[];
  /** Stack policies per pack: which passed and which reported a violation. */
  stackPolicies: Record<string, { passed: string[]; failed: string[] }>;
  violations: ReportedViolation[];
  /** Errors of the engine that are not policy violations (a program that failed, a bad config). */
  errors: string[];
  summary: {
    resourcesChecked: number;
    violations: number;
    mandatory: number;
    advisory: number;
    /** Pass: no mandatory violation and no engine error. */
    result: "pass" | "fail";
  };
}
