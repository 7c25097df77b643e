/**
 * Tenant: a customer instance. The FQDN replaces (it is the instance's identity); everything else
 * updates in place, the admin and capabilities key by key. Instance 1 is the platform's management
 * instance: never created, changed or deleted through omnitenant.
 */
import type { ResourceProvider } from "@pulumi/pulumi/dynamic";
import { kinds, tenantInputs } from "./schemas";
import { checkInputs } from "./check";
import { ExpectedRefusal, ReservedInstanceError } from "./errors";
import type { DiffResult } from "@pulumi/pulumi/dynamic";
import { createObject, deleteObject, diffInputs, noteTenantDeclared, readObject, updateObject, type KindDescriptor } from "./lifecycle";

export const tenantKind: KindDescriptor = {
  spec: kinds.Tenant,
  fields: ["companyName", "organizationSize", "country", "fqdn", "timeZone", "language", "admin", "capabilities", "plan", "deletionProtection"],
  replaceOn: ["fqdn"],
  writeOnly: ["admin.password"],
  nestedPatch: ["admin", "capabilities"],
  guard: (object, method, path) => {
    if (object.instanceNumber === 1) {
      throw new ReservedInstanceError({
        status: 403,
        type: "reserved-instance",
        method,
        path,
        detail: `tenant ${object.tenantId ?? ""} (${object.fqdn}) is instance 1, the platform's management instance`,
        hint: "omnitenant never creates, changes or deletes the management instance; customer tenants start at instance 2. Remove it from the program.",
      });
    }
  },
  secretValues: (i) => [i.admin?.password].filter((s): s is string => typeof s === "string"),
};

export const tenantProvider = {
  check: async (_olds: Record<string, unknown>, news: Record<string, unknown>) => checkInputs(tenantInputs, news),
  diff: async (id: string, olds: Record<string, any>, news: Record<string, any>) => {
    noteTenantDeclared(id);
    return refuseProtectedReplace(olds, diffInputs(tenantKind, olds, news));
  },
  create: (inputs: Record<string, any>) => createObject(tenantKind, inputs),
  read: (id: string, props: Record<string, any> = {}) => readObject(tenantKind, id, props),
  update: (id: string, olds: Record<string, any>, news: Record<string, any>) => updateObject(tenantKind, id, olds, news),
  delete: (id: string, props: Record<string, any>) => deleteObject(tenantKind, id, props),
} satisfies ResourceProvider;

/**
 * A replacement deletes the old tenant, which deletion protection forbids. Refused at the diff —
 * during preview, before anything is created or deleted — with the two steps that get there; the
 * stored protection counts even when this run turns it off, as the old tenant still holds it.
 */
function refuseProtectedReplace(olds: Record<string, any>, diff: DiffResult): DiffResult {
  if ((diff.replaces?.length ?? 0) > 0 && olds.deletionProtection === true) {
    throw new ExpectedRefusal(
      `Tenant ${JSON.stringify(olds.fqdn)} (${olds.tenantId}) has deletion protection, and changing ${diff.replaces!.join(", ")} would replace it ` +
        "(create a new tenant and delete this one with everything in it). To replace it, first set `deletionProtection: false` " +
        `and run \`pulumi up\`, then change ${diff.replaces!.join(", ")}; or keep ${diff.replaces!.join(", ")} as it is.`,
    );
  }
  return diff;
}
