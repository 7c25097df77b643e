import { leastPrivilegePolicies } from "../../../policies/least-privilege/policies";
import { extension, NOW, tenant } from "../fixtures";
import { UNKNOWN, violationsOf, type ResourceSpec } from "../harness";

const pack = leastPrivilegePolicies({ stack: () => "dev", now: () => NOW });
const acme = tenant("acme");
const run = (e: ResourceSpec, config = {}) => violationsOf(pack, "portal-permissions", [acme, e], config);
const withPermissions = (permissions: unknown, username = "desk-portal") =>
  extension(acme, "desk", { portal: { username, password: "portal-passw0rd", permissions } });

describe("portal-permissions", () => {
  it("passes userPortalAccess alone", async () => {
    expect(await run(extension(acme, "desk"))).toEqual([]);
  });

  it("passes an extension without portal access, or with the default permissions", async () => {
    const none = extension(acme, "desk");
    delete none.props.portal;
    expect(await run(none)).toEqual([]);
    expect(await run(extension(acme, "desk", { portal: { username: "desk-portal", password: "portal-passw0rd" } }))).toEqual([]);
  });

  it("refuses a permission beyond userPortalAccess for a username that is not allow-listed", async () => {
    const v = await run(withPermissions(["userPortalAccess", "globalSettings"]));
    expect(v).toHaveLength(1);
    expect(v[0].level).toBe("mandatory");
    expect(v[0].message).toContain('omnitenant:Extension "desk"');
    expect(v[0].message).toContain('portal user "desk-portal" is not allow-listed');
    expect(v[0].message).toContain('not allowed: "globalSettings"');
    expect(v[0].message).toContain('{"portal-permissions": {"allowList": {"desk-portal": ["globalSettings"]}}}');
  });

  it("passes the permissions allow-listed for that username", async () => {
    const config = { "portal-permissions": { allowList: { "desk-portal": ["userManagement", "applyChanges"] } } };
    expect(await run(withPermissions(["userPortalAccess", "userManagement", "applyChanges"]), config)).toEqual([]);
    expect(await run(withPermissions(["userPortalAccess", "userManagement"], "other-portal"), config)).toHaveLength(1);
  });

  it("refuses a permission the allow-list does not give that username", async () => {
    const config = { "portal-permissions": { allowList: { "desk-portal": ["userManagement"] } } };
    const v = await run(withPermissions(["userManagement", "administratorAccess"]), config);
    expect(v).toHaveLength(1);
    expect(v[0].message).toContain('is allow-listed only for ["userManagement"]');
    expect(v[0].message).toContain('"desk-portal": ["userManagement","administratorAccess"]');
  });

  it("skips unknown permissions or username during a preview", async () => {
    expect(await run(withPermissions(UNKNOWN))).toEqual([]);
    expect(await run(withPermissions(["globalSettings"], UNKNOWN))).toEqual([]);
    expect(await run(extension(acme, "desk", { portal: UNKNOWN }))).toEqual([]);
  });
});
