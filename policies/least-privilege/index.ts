/** Entry point of `--policy-pack policies/least-privilege` (compiled to dist/policies/least-privilege). */
import { PolicyPack } from "@pulumi/policy";
import { leastPrivilegePolicies } from "./policies";

new PolicyPack("least-privilege", {
  description: "omnitenant least privilege: agent roles and admins, test roles in production, portal permissions, API credential scopes and lifetimes, https webhooks, tagged integrations, explicit queues.",
  policies: leastPrivilegePolicies(),
});
