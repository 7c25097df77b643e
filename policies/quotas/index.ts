/** Entry point of `--policy-pack policies/quotas` (compiled to dist/policies/quotas). */
import { PolicyPack } from "@pulumi/policy";
import { quotaPolicies } from "./policies";

new PolicyPack("quotas", {
  description: "omnitenant quotas: what each tenant declares stays within its capabilities, and its capabilities within its plan.",
  policies: quotaPolicies(),
});
