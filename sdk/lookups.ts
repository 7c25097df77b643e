/**
 * Lookups: read objects that a program references but does not manage, by natural key (FQDN, name,
 * account, extension number). They run in the program's process, with the same client, retry policy
 * and configuration (stack config `omnitenant:endpoint` / `omnitenant:token`, then the environment)
 * as the provider.
 */
import * as pulumi from "@pulumi/pulumi";
import type {
  AgentObject, CredentialObject, ExtensionObject, IncomingNumberObject, QueueObject, TenantObject, UserGroupObject,
} from "../provider/schemas";
import { configure } from "../provider/config";
import { NotFoundError } from "../provider/errors";
import { findByNaturalKey, collectionPath, label, type KindDescriptor } from "../provider/lifecycle";
import { tenantKind } from "../provider/tenant";
import { agentKind } from "../provider/agent";
import { queueKind } from "../provider/queue";
import { extensionKind } from "../provider/extension";
import { userGroupKind } from "../provider/user-group";
import { incomingNumberKind } from "../provider/incoming-number";
import { credentialKind } from "../provider/integration-credential";

let configured = false;
function configureFromStack(): void {
  if (configured) return;
  configured = true;
  // The raw runtime lookup: the token is a secret config value, and this is where it is meant to be read.
  const endpoint = pulumi.runtime.getConfig("omnitenant:endpoint");
  const token = pulumi.runtime.getConfig("omnitenant:token");
  if (endpoint || token) configure({ endpoint: endpoint || undefined, token: token || undefined }, "stack config");
}

async function lookup<T>(d: KindDescriptor, key: Record<string, unknown>, fn: string): Promise<T> {
  configureFromStack();
  const found = await findByNaturalKey(d, key);
  if (!found) {
    throw new NotFoundError({
      status: 404,
      type: "not-found",
      method: "GET",
      path: collectionPath(d, key.tenantId as string | undefined),
      detail: `${fn}: no ${label(d, key).replace(/^\w+ with/, `${d.spec.kind.toLowerCase()} with`)}`,
      hint: `Check the ${d.spec.naturalKey} and the tenant, or declare the ${d.spec.kind} in the program instead.`,
    });
  }
  // Lookups are for references: volatile bookkeeping stays out.
  const { usage: _usage, ...rest } = found;
  void _usage;
  return rest as T;
}

/**
 * Lookups take plain values. An Output (or a promise) here is a mistake users make — e.g.
 * `getTenant({ fqdn: tenant.fqdn })` — and the fix is the `…Output` form: refused at once,
 * synchronously, with that fix, as a RunError (Pulumi prints its message without a stack trace).
 */
function plainArgs(fn: string, args: Record<string, unknown>): void {
  const lifted = Object.keys(args).filter((k) => pulumi.Output.isInstance(args[k]) || args[k] instanceof Promise);
  if (lifted.length === 0) return;
  const which = lifted.map((k) => `\`${k}\``).join(" and ");
  throw new pulumi.RunError(
    `${fn}: ${which} ${lifted.length > 1 ? "are Outputs" : "is an Output"} (or promises), which ${fn} cannot read; ` +
      `use ${fn}Output({ … }) instead: it takes Outputs and returns an Output of the result.`,
  );
}

export type TenantResult = Omit<TenantObject, "usage">;

/** A tenant by FQDN. */
export function getTenant(args: { fqdn: string }): Promise<TenantResult> {
  plainArgs("getTenant", args);
  return lookup(tenantKind, { fqdn: args.fqdn }, "getTenant");
}
/** A queue by name (e.g. the default queue, "Default"). */
export function getQueue(args: { tenantId: string; name: string }): Promise<QueueObject> {
  plainArgs("getQueue", args);
  return lookup(queueKind, args, "getQueue");
}
/** An agent by account. */
export function getAgent(args: { tenantId: string; account: string }): Promise<AgentObject> {
  plainArgs("getAgent", args);
  return lookup(agentKind, args, "getAgent");
}
/** An extension by number. The SIP password is never returned by a lookup. */
export function getExtension(args: { tenantId: string; number: string }): Promise<ExtensionObject> {
  plainArgs("getExtension", args);
  return lookup(extensionKind, args, "getExtension");
}
/** A user group by name. */
export function getUserGroup(args: { tenantId: string; name: string }): Promise<UserGroupObject> {
  plainArgs("getUserGroup", args);
  return lookup(userGroupKind, args, "getUserGroup");
}
/** An incoming number by number (E.164). */
export function getIncomingNumber(args: { tenantId: string; number: string }): Promise<IncomingNumberObject> {
  plainArgs("getIncomingNumber", args);
  return lookup(incomingNumberKind, args, "getIncomingNumber");
}
/** An integration credential by name. Generated secrets are never returned by a lookup. */
export function getIntegrationCredential(args: { tenantId: string; name: string }): Promise<CredentialObject> {
  plainArgs("getIntegrationCredential", args);
  return lookup(credentialKind, args, "getIntegrationCredential");
}

type Inputs<T> = { [K in keyof T]: pulumi.Input<T[K]> };
const lifted =
  <A extends object, R>(fn: (a: A) => Promise<R>) =>
  (args: Inputs<A>): pulumi.Output<R> =>
    pulumi.output(args as pulumi.Input<A>).apply((a) => fn(a as A)) as pulumi.Output<R>;

/** `getTenant` taking Inputs (e.g. an FQDN built from other outputs). */
export const getTenantOutput = lifted(getTenant);
/** `getQueue` taking Inputs (e.g. `tenant.tenantId`). */
export const getQueueOutput = lifted(getQueue);
/** `getAgent` taking Inputs. */
export const getAgentOutput = lifted(getAgent);
/** `getExtension` taking Inputs. */
export const getExtensionOutput = lifted(getExtension);
/** `getUserGroup` taking Inputs. */
export const getUserGroupOutput = lifted(getUserGroup);
/** `getIncomingNumber` taking Inputs. */
export const getIncomingNumberOutput = lifted(getIncomingNumber);
/** `getIntegrationCredential` taking Inputs. */
export const getIntegrationCredentialOutput = lifted(getIntegrationCredential);
