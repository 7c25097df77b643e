/** Least-privilege rules on PBX extensions: portal permissions. */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { PortalPermission } from "../../provider/schemas";
import { readConfig } from "../shared/config";
import { message } from "../shared/messages";
import { at, show, str, strings, UNKNOWN } from "../shared/resources";
import { forKind } from "../shared/validate";
import type { PortalPermissionsConfig } from "./config";
import { configSchema } from "./schemas";

const baseline: PortalPermission = "userPortalAccess";

export function portalPermissionsPolicy(): ResourceValidationPolicy {
  const name = "portal-permissions";
  const schema = configSchema(name);
  return {
    name,
    description: "Extension portal permissions beyond `userPortalAccess` are given only to portal usernames allow-listed in the policy config, and only the permissions listed for them.",
    enforcementLevel: "mandatory",
    severity: "high",
    configSchema: schema,
    validateResource: forKind("Extension", (props, args, report) => {
      const { allowList } = readConfig<PortalPermissionsConfig>(name, schema, args.getConfig());
      const portal = at(props, "portal");
      if (portal === undefined || portal === null || portal === UNKNOWN) return;
      const permissions = strings(props, "portal", "permissions") ?? [baseline]; // the platform's default
      const username = str(props, "portal", "username");
      if (permissions === UNKNOWN || username === UNKNOWN) return; // decided when known
      const allowed = new Set<string>([baseline, ...(username ? allowList[username] ?? [] : [])]);
      const extra = permissions.filter((p) => !allowed.has(p));
      if (extra.length === 0) return;
      const listed = username !== undefined && username in allowList;
      const wanted = [...new Set([...(listed ? allowList[username] : []), ...extra])];
      report(
        message(args, {
          rule: listed
            ? `portal user ${show(username)} is allow-listed only for ${show(allowList[username])}`
            : `portal user ${show(username)} is not allow-listed, so it may have "userPortalAccess" alone`,
          value: `portal.permissions ${show(permissions)} (not allowed: ${extra.map((p) => show(p)).join(", ")})`,
          fix: `remove ${extra.map((p) => show(p)).join(", ")} from portal.permissions, or allow-list them in the policy pack config: {"${name}": {"allowList": {${show(username)}: ${show(wanted)}}}}`,
        }),
      );
    }),
  };
}
