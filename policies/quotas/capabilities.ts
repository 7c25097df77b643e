/**
 * Per tenant, what the stack declares stays within the tenant's capabilities. A stack policy:
 * counting needs every resource, and it must also decide the preview of a brand-new tenant, whose
 * children are attached to it by dependency (shared/tenants.ts).
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { channelAccountKinds, type Capabilities, type KindName } from "../../provider/schemas";
import { readConfig } from "../shared/config";
import { message } from "../shared/messages";
import { kindOf, num, rawProps, show, str, UNKNOWN } from "../shared/resources";
import { groupByTenant, TenantIndex } from "../shared/tenants";
import type { CapabilityQuotasConfig } from "./config";
import { configSchema } from "./schemas";

interface Counted {
  capability: keyof Capabilities;
  kind: KindName;
  /** Plural noun for messages. */
  what: string;
  /** Whether a resource of the kind counts; resources whose kind of credential is unknown do not. */
  counts?: (props: Record<string, unknown>) => boolean;
}

/** The capability-limited kinds; add a row when a new limited kind is added to the provider. */
export const counted: readonly Counted[] = [
  { capability: "maxAgents", kind: "Agent", what: "agents" },
  { capability: "maxExtensions", kind: "Extension", what: "extensions" },
  {
    capability: "maxChannelAccounts",
    kind: "IntegrationCredential",
    what: `channel-account credentials (${channelAccountKinds.join(", ")})`,
    counts: (props) => {
      const kind = str(props, "kind");
      return typeof kind === "string" && (channelAccountKinds as readonly string[]).includes(kind);
    },
  },
];

export function capabilityQuotasPolicy(): StackValidationPolicy {
  const name = "capability-quotas";
  const schema = configSchema(name);
  return {
    name,
    description: "Per tenant, the agents, extensions and channel-account credentials declared across the stack do not exceed the tenant's capabilities (maxAgents, maxExtensions, maxChannelAccounts).",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateStack: (args, report) => {
      readConfig<CapabilityQuotasConfig>(name, schema, args.getConfig());
      const index = new TenantIndex(args.resources);
      const byKind = new Map<string, PolicyResource[]>();
      for (const r of args.resources) {
        const kind = kindOf(r.type);
        if (!kind) continue;
        const list = byKind.get(kind);
        if (list) list.push(r);
        else byKind.set(kind, [r]);
      }
      for (const row of counted) {
        const members = (byKind.get(row.kind) ?? []).filter((r) => !row.counts || row.counts(rawProps(r.props)));
        for (const { ref, members: mine } of groupByTenant(index, members).values()) {
          // A tenant this stack does not declare: its capabilities are not known here (the platform
          // still refuses a create past its limit).
          if (!ref.tenant) continue;
          const limit = num(rawProps(ref.tenant.props), "capabilities", row.capability);
          if (limit === UNKNOWN || limit === undefined || mine.length <= limit) continue;
          const over = mine.length - limit;
          mine.sort((a, b) => a.name.localeCompare(b.name)); // the engine's order is registration order
          report(
            message(ref.tenant, {
              rule: `the stack declares ${mine.length} ${row.what} for this tenant, more than its capabilities.${row.capability} of ${limit}`,
              value: `${row.kind} resources ${mine.map((m) => show(m.name)).join(", ")}`,
              fix: `remove ${over} of them, or raise capabilities.${row.capability} to at least ${mine.length} (within the tenant's plan)`,
            }),
            ref.tenant.urn,
          );
        }
      }
    },
  };
}
