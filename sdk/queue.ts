import * as pulumi from "@pulumi/pulumi";
import type { QueueInputs } from "../provider/schemas";
import type { DeepInput, In } from "./types";
import { dynamicProvider } from "./provider-shim";
import { resourceInputs, secretOptions, claimNaturalKey, idOutputFromResourceId } from "./resource";

export interface QueueArgs {
  /** The tenant (`Tenant.tenantId`). Changing it replaces the queue. */
  tenantId: DeepInput<QueueInputs["tenantId"]>;
  /** Queue name, unique in the tenant (e.g. "Billing"). Renaming updates in place. */
  name: DeepInput<QueueInputs["name"]>;
  /** What the queue handles. */
  description?: In<QueueInputs["description"]>;
  /** Channel: "chat" (default), "email", "voice", "sms" or "social". */
  channel?: In<QueueInputs["channel"]>;
  /** Routing skills an agent needs to take this queue's traffic. */
  skills?: In<QueueInputs["skills"]>;
  /** Bring an existing queue with the same name under management (set to this configuration) instead of failing with a conflict. */
  adopt?: pulumi.Input<boolean>;
}

const provider = dynamicProvider("queue", "queueProvider");
const outputNames = ["queueId", "isDefault", "revision", "tenantId", "name", "description", "channel", "skills"] as const;

/**
 * A queue that routes incoming traffic to agents (Billing, Returns, Live Chat Support). Every tenant
 * also has a default queue, created with it (`Tenant.defaultQueueId`).
 *
 * Lifecycle: changing `tenantId` replaces the queue. Name, description, channel and skills update
 * in place; agents and user groups keep pointing at it by id.
 */
export class Queue extends pulumi.dynamic.Resource {
  /** The queue's id (`que_…`). */
  declare public readonly queueId: pulumi.Output<string>;
  /** True for the tenant's default queue. */
  declare public readonly isDefault: pulumi.Output<boolean>;
  /** The platform's revision of the queue (its ETag). */
  declare public readonly revision: pulumi.Output<number>;
  /** The tenant. */
  declare public readonly tenantId: pulumi.Output<string>;
  /** Queue name. */
  declare public readonly name: pulumi.Output<string>;
  /** Description. */
  declare public readonly description: pulumi.Output<string | undefined>;
  /** Channel. */
  declare public readonly channel: pulumi.Output<string>;
  /** Routing skills. */
  declare public readonly skills: pulumi.Output<string[]>;

  constructor(name: string, args: QueueArgs, opts?: pulumi.CustomResourceOptions) {
    claimNaturalKey("Queue", name, "name", args.name, args.tenantId);
    super(provider, name, resourceInputs("Queue", name, args, [], outputNames), secretOptions(opts, []), "omnitenant", "Queue");
    idOutputFromResourceId(this, "queueId");
  }
}
