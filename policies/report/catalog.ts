/** Every policy of both packs with its description and default enforcement level: the rules a SARIF log declares. */
import { leastPrivilegePolicies } from "../least-privilege/policies";
import { quotaPolicies } from "../quotas/policies";
import type { Level } from "./model";

export interface PolicyRule {
  name: string;
  description: string;
  enforcementLevel: Level;
}

export function policyCatalog(): Record<string, PolicyRule[]> {
  const rules = (policies: ReturnType<typeof quotaPolicies>): PolicyRule[] =>
    policies.map((p) => ({ name: p.name, description: p.description, enforcementLevel: (p.enforcementLevel ?? "advisory") as Level }));
  return { "least-privilege": rules(leastPrivilegePolicies()), quotas: rules(quotaPolicies()) };
}
