/**
 * Parameters of the quota policies, one interface per policy (`PlanCatalogueConfig` →
 * `plan-catalogue`), turned into config-schema.json by scripts/gen-policy-schemas.mjs.
 */

/**
 * Capability maxima of one plan. A capability the plan leaves out is not limited by it. The keys
 * are the tenant's `capabilities` (provider/schemas/tenant.ts; policies/quotas/plans.ts checks at
 * compile time that they stay the same).
 */
export interface PlanLimits {
  /** @TJS-type integer @minimum 0 */
  maxAgents?: number;
  /** @TJS-type integer @minimum 0 */
  diskQuotaGb?: number;
  /** @TJS-type integer @minimum 0 */
  maxWidgets?: number;
  /** @TJS-type integer @minimum 0 */
  maxChannelAccounts?: number;
  /** @TJS-type integer @minimum 0 */
  maxWorkflows?: number;
  /** @TJS-type integer @minimum 0 */
  maxCannedMessages?: number;
  /** @TJS-type integer @minimum 0 */
  maxExtensions?: number;
}

/** Per tenant, what the stack declares stays within the tenant's capabilities. No parameters. */
export interface CapabilityQuotasConfig {}

export interface PlanCatalogueConfig {
  /**
   * The reseller's plan catalogue: plan name → capability maxima (e.g. `{"starter": {"maxAgents": 5}}`).
   * When it is empty the policy does not apply; otherwise every tenant names one of these plans.
   * @default {}
   */
  plans?: { [plan: string]: PlanLimits };
}
