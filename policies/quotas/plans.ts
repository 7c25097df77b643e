/** Every tenant's capabilities stay within its plan in the reseller's plan catalogue (config). */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { capabilities, type Capabilities } from "../../provider/schemas";
import { readConfig } from "../shared/config";
import { message } from "../shared/messages";
import { num, show, str, UNKNOWN } from "../shared/resources";
import { forKind } from "../shared/validate";
import type { PlanCatalogueConfig, PlanLimits } from "./config";
import { configSchema } from "./schemas";

/* config.ts stays free of zod types for the schema generator; these keep PlanLimits in step with Capabilities. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const planLimitsMatchCapabilities: Same<keyof PlanLimits, keyof Capabilities> = true;
void planLimitsMatchCapabilities;

export function planCataloguePolicy(): ResourceValidationPolicy {
  const name = "plan-catalogue";
  const schema = configSchema(name);
  return {
    name,
    description: "When a plan catalogue is configured, every tenant names a plan of the catalogue and its capabilities do not exceed that plan's maxima.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateResource: forKind("Tenant", (props, args, report) => {
      const { plans } = readConfig<PlanCatalogueConfig>(name, schema, args.getConfig());
      const names = Object.keys(plans);
      if (names.length === 0) return; // no catalogue: nothing to hold tenants to
      const plan = str(props, "plan");
      if (plan === UNKNOWN) return; // decided when known
      const catalogue = names.map((n) => show(n)).join(", ");
      if (plan === undefined || !(plan in plans)) {
        report(
          message(args, {
            rule: `a tenant must name a plan of the catalogue (${catalogue})`,
            value: plan === undefined ? "plan not set" : `plan ${show(plan)} is not in the catalogue`,
            fix: `set plan to one of ${catalogue}, or add ${plan === undefined ? "its plan" : show(plan)} to the plan-catalogue config`,
          }),
        );
        return;
      }
      const limits = plans[plan];
      const over: string[] = [];
      // In the order the tenant declares its capabilities, whatever the order of the config.
      for (const capability of Object.keys(capabilities.shape) as (keyof PlanLimits)[]) {
        const max = limits[capability];
        const value = num(props, "capabilities", capability);
        if (max === undefined) continue;
        if (typeof value === "number" && value > max) over.push(`capabilities.${capability} ${value} > ${max}`);
      }
      if (over.length === 0) return;
      report(
        message(args, {
          rule: `a tenant's capabilities must stay within its plan ${show(plan)}`,
          value: over.join(", "),
          fix: `lower ${over.map((o) => o.split(" ")[0]).join(", ")} to the plan's maxima, or move the tenant to a larger plan`,
        }),
      );
    }),
  };
}
