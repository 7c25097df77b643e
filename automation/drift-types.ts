/** What the drift check reports: per customer, and for the fleet (the JSON report's shape, docs/schemas/drift-report.schema.json). */
import type { FieldDrift } from "./drift-compare";
import type { LastRun } from "./drift-state";

export type { FieldDrift } from "./drift-compare";
export type { LastRun } from "./drift-state";

/**
 * in-sync: nothing differs; drifted: something below; not-deployed: the customer has no stack (or
 * an empty one) yet; error: the check could not finish for this customer (see `error`).
 */
export type DriftState = "in-sync" | "drifted" | "not-deployed" | "error";

export interface ObjectRef {
  kind: string;
  /** The resource's name in the stack (`agent-ann`); absent for objects no stack manages. */
  name?: string;
  id: string;
}

export interface ChangedObject extends ObjectRef {
  name: string;
  /** The fields that differ; secret fields say only `secret: true`. */
  fields: FieldDrift[];
  /** A staged change saved on the platform and not applied yet (no field of the saved object differs). */
  pendingApply?: true;
}

export interface UnmanagedObject extends ObjectRef {
  /** The object's natural key (an agent's account, a queue's name). */
  key: string;
}

export interface CapabilityUsage {
  capability: string;
  limit: number;
  /** Absent when the platform does not report the usage of this capability. */
  used?: number;
}

export interface CustomerDrift {
  /** The customer id, which is also its stack name. */
  id: string;
  state: DriftState;
  /** In the backend but no longer in the catalogue. */
  orphaned?: true;
  tenantId?: string;
  fqdn?: string;
  plan?: string;
  /** Objects changed outside Pulumi. */
  changed: ChangedObject[];
  /** Objects in the stack that the platform no longer has. */
  deleted: ObjectRef[];
  /** Objects in the customer's tenant that its stack does not manage. */
  unmanaged: UnmanagedObject[];
  /**
   * Objects whose platform revision moved though no compared field differs: a write-only value
   * (a password) was set, or a change was set back. `pulumi refresh` reports them unchanged too;
   * listed, not counted as drift.
   */
  revisionMoved: ObjectRef[];
  /** The last run on the stack, when it failed or was interrupted. */
  lastRunProblem?: "failed" | "interrupted";
  lastRun?: LastRun;
  /** Operations a killed run left pending (one ground for `interrupted`). */
  pendingOperations?: Array<{ type: string; name: string }>;
  /**
   * The lock a run killed on this host left on the stack (file backends; the other ground for
   * `interrupted`): such a run may leave no pending operation, e.g. without per-step checkpoints.
   */
  abandonedLock?: { pid: number; hostname: string; timestamp?: string };
  usage?: CapabilityUsage[];
  error?: { code: string; message: string };
  durationMs: number;
}

export interface DriftReport {
  reseller: string;
  catalogue?: string;
  project: string;
  backend: string;
  endpoint: string;
  checkedAt: string;
  durationMs: number;
  concurrency: number;
  counts: Record<DriftState, number> & { customers: number; changed: number; deleted: number; unmanaged: number; failedRuns: number };
  /** Tenants on the platform that no stack of the project manages. */
  unmanagedTenants: Array<{ id: string; fqdn: string }>;
  /** True when anything drifted (exit code 2). */
  drifted: boolean;
  /** True when a customer could not be checked (exit code 1). */
  errors: boolean;
  customers: CustomerDrift[];
}
