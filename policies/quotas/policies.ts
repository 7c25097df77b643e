/** The quota policies. */
import type { Policies } from "@pulumi/policy";
import { capabilityQuotasPolicy } from "./capabilities";
import { planCataloguePolicy } from "./plans";

export const quotaPolicies = (): Policies => [capabilityQuotasPolicy(), planCataloguePolicy()];
