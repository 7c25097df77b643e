/** What provisioning reports: per customer, and for the whole run (the JSON report's shape). */

export type CustomerState = "created" | "updated" | "unchanged" | "failed" | "offboarded" | "skipped";

export interface PolicyViolation {
  pack: string;
  policy: string;
  /** The resource's name in the stack (`agent-jane`), when the violation is about one resource. */
  resource?: string;
  /** "mandatory" fails the customer; "advisory" is reported and lets it deploy. */
  level: "mandatory" | "advisory";
  message: string;
}

export interface CustomerResult {
  /** The customer id, which is also its stack name. */
  id: string;
  state: CustomerState;
  /** Resource operations, as the engine counts them (create, update, delete, replace, same). */
  changes: Record<string, number>;
  durationMs: number;
  /** Why the customer failed or was skipped; says what to do next. */
  error?: string;
  /** Catalogue errors, each naming the field (`agents[1].roles[0]: …`). */
  issues?: string[];
  violations?: PolicyViolation[];
  outputs?: { tenantId?: string; portalUrl?: string; instanceNumber?: number; fqdn?: string };
  /** E.g. "orphaned, not offboarded". */
  note?: string;
}

export interface ProvisionReport {
  reseller: string;
  catalogue?: string;
  project: string;
  backend: string;
  dryRun: boolean;
  offboard: boolean;
  concurrency: number;
  policyPacks: string[];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  counts: Record<CustomerState, number>;
  /** False when any customer failed. */
  ok: boolean;
  customers: CustomerResult[];
}

/** What the progress display is told while provisioning runs. */
export type ProgressEvent =
  | { type: "plan"; customers: string[]; orphans: string[] }
  | { type: "start"; id: string; phase: "deploying" | "previewing" | "offboarding"; total: number }
  | { type: "resource"; id: string; done: number; total: number }
  | { type: "done"; result: CustomerResult };
