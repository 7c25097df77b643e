import * as pulumi from "@pulumi/pulumi";
import type { UserGroupInputs } from "../provider/schemas";
import type { DeepInput, In } from "./types";
import { dynamicProvider } from "./provider-shim";
import { resourceInputs, secretOptions, claimNaturalKey, idOutputFromResourceId } from "./resource";

export interface UserGroupArgs {
  /** The tenant (`Tenant.tenantId`). Changing it replaces the group. */
  tenantId: DeepInput<UserGroupInputs["tenantId"]>;
  /** Group name, unique in the tenant. Renaming updates in place. */
  name: DeepInput<UserGroupInputs["name"]>;
  /** Member extensions (`Extension.extensionId`). */
  memberIds?: In<UserGroupInputs["memberIds"]>;
  /** The queue the group serves, for call-center capability (`Queue.queueId`). */
  queueId?: In<UserGroupInputs["queueId"]>;
  /** Bring an existing group with the same name under management (set to this configuration) instead of failing with a conflict. */
  adopt?: pulumi.Input<boolean>;
}

const provider = dynamicProvider("user-group", "userGroupProvider");
const outputNames = ["userGroupId", "revision", "appliedRevision", "tenantId", "name", "memberIds", "queueId"] as const;

/**
 * A PBX user group: extensions grouped to serve a queue. Saved, then applied by the provider, so a
 * group that reports success is live.
 *
 * Lifecycle: changing `tenantId` replaces the group. Name, members and queue update in place.
 */
export class UserGroup extends pulumi.dynamic.Resource {
  /** The group's id (`grp_…`). */
  declare public readonly userGroupId: pulumi.Output<string>;
  /** The platform's revision of the group (its ETag). */
  declare public readonly revision: pulumi.Output<number>;
  /** The revision that is live. */
  declare public readonly appliedRevision: pulumi.Output<number>;
  /** The tenant. */
  declare public readonly tenantId: pulumi.Output<string>;
  /** Group name. */
  declare public readonly name: pulumi.Output<string>;
  /** Member extension ids. */
  declare public readonly memberIds: pulumi.Output<string[]>;
  /** The queue served. */
  declare public readonly queueId: pulumi.Output<string | undefined>;

  constructor(name: string, args: UserGroupArgs, opts?: pulumi.CustomResourceOptions) {
    claimNaturalKey("UserGroup", name, "name", args.name, args.tenantId);
    super(provider, name, resourceInputs("UserGroup", name, args, [], outputNames), secretOptions(opts, []), "omnitenant", "UserGroup");
    idOutputFromResourceId(this, "userGroupId");
  }
}
