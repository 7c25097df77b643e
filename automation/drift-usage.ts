/** A tenant's usage against each capability of its plan, as the platform reports it. */
import type { CapabilityUsage } from "./drift-types";

/** Which usage counter each capability limits; the platform reports no usage for the others. */
const usageOf: Record<string, string> = { maxAgents: "agents", maxExtensions: "extensions", maxChannelAccounts: "channelAccounts" };

export function capabilityUsage(tenant: Record<string, any>): CapabilityUsage[] {
  return Object.entries((tenant.capabilities ?? {}) as Record<string, number>).map(([capability, limit]) => {
    const used = usageOf[capability] && tenant.usage ? tenant.usage[usageOf[capability]] : undefined;
    return { capability, limit, ...(typeof used === "number" ? { used } : {}) };
  });
}
