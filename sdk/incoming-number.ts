import * as pulumi from "@pulumi/pulumi";
import type { DestinationType, IncomingNumberInputs } from "../provider/schemas";
import type { DeepInput } from "./types";
import { dynamicProvider } from "./provider-shim";
import { extensionTargets, linkTargets, plainItems } from "./targets";
import { resourceInputs, secretOptions, claimNaturalKey, idOutputFromResourceId } from "./resource";

/** Where a voice call to the number goes. */
export interface IncomingNumberDestinationArgs {
  /** "notConfigured", "extension", "dialPlan", "voicemail", "hangUp" or "conference". */
  type: pulumi.Input<DestinationType>;
  /** Extension number for extension and voicemail; dial plan or conference name for dialPlan and conference; none otherwise. */
  target?: pulumi.Input<string>;
}

export interface IncomingNumberArgs {
  /** The tenant (`Tenant.tenantId`). Changing it replaces the number. */
  tenantId: DeepInput<IncomingNumberInputs["tenantId"]>;
  /** The number, E.164 (e.g. "+33187654321"), unique in the tenant. Changing it replaces the resource. */
  number: DeepInput<IncomingNumberInputs["number"]>;
  /** Destination of voice calls; not configured by default. */
  destination?: pulumi.Input<IncomingNumberDestinationArgs>;
  /** Bring an existing incoming number under management (set to this configuration) instead of failing with a conflict. */
  adopt?: pulumi.Input<boolean>;
}

const provider = dynamicProvider("incoming-number", "incomingNumberProvider");
const outputNames = ["incomingNumberId", "revision", "appliedRevision", "tenantId", "number", "destination"] as const;

/**
 * An incoming number the company receives calls on, and where those calls go. Saved, then applied
 * by the provider, so a number that reports success is live.
 *
 * Lifecycle: changing `tenantId` or `number` replaces it; the destination updates in place.
 */
export class IncomingNumber extends pulumi.dynamic.Resource {
  /** The incoming number's id (`num_…`). */
  declare public readonly incomingNumberId: pulumi.Output<string>;
  /** The platform's revision (its ETag). */
  declare public readonly revision: pulumi.Output<number>;
  /** The revision that is live. */
  declare public readonly appliedRevision: pulumi.Output<number>;
  /** The tenant. */
  declare public readonly tenantId: pulumi.Output<string>;
  /** The number. */
  declare public readonly number: pulumi.Output<string>;
  /** Destination of voice calls. */
  declare public readonly destination: pulumi.Output<{ type: DestinationType; target?: string }>;

  constructor(name: string, args: IncomingNumberArgs, opts?: pulumi.CustomResourceOptions) {
    claimNaturalKey("IncomingNumber", name, "number", args.number, args.tenantId);
    // A destination of type extension or voicemail names an extension: depend on it when this program declares it.
    const destination = plainItems<{ type?: unknown; target?: unknown }>([args.destination])[0];
    const targets = destination?.type === "extension" || destination?.type === "voicemail" ? extensionTargets([destination.target]) : [];
    const link = linkTargets(args.tenantId, undefined, targets, opts);
    super(provider, name, resourceInputs("IncomingNumber", name, args, [], outputNames), secretOptions(link.opts, []), "omnitenant", "IncomingNumber");
    idOutputFromResourceId(this, "incomingNumberId");
    link.register(this);
  }
}
